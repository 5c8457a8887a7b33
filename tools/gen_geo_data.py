#!/usr/bin/env python3
"""Generate keepsim's compiled-in geography tables.

Usage (from the repository root):

    python3 tools/gen_geo_data.py [../shared/data/countries]

Reads the vendored source data (countries-list 3.4.1, mcc-mnc-list 1.1.11,
CLDR 48.2 territory names) and writes compact JSON into
``crates/domain/data/``:

* ``countries.json``  ISO 3166-1 alpha-2 code -> continent + names in 16 locales
* ``regions.json``    CLDR region code (001, 150, ...) -> names in 16 locales
* ``plmn.json``       [{"plmn": "44010", "country": "JP"}, ...]
* ``mcc.json``        MCC -> country, only where the MCC identifies one country
* ``mnc_len.json``    MCC -> MNC length (2 or 3) where all its networks agree

plus the three licence files and a README saying where everything came from.
Standard library only (Python 3.11+). Output is deterministic (sorted keys).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections import defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = REPO_ROOT / "crates" / "domain" / "data"
DEFAULT_SOURCE = REPO_ROOT / ".." / "shared" / "data" / "countries"

# CLDR file name (without .json) -> keepsim locale tag (see keepsim_domain::Locale).
# CLDR's "zh" is Simplified Chinese as used in mainland China, "zh-Hant" is
# Traditional Chinese as used in Taiwan; keepsim tags them zh-CN and zh-TW.
CLDR_LOCALES: dict[str, str] = {
    "en": "en",
    "zh": "zh-CN",
    "zh-Hant": "zh-TW",
    "ja": "ja",
    "ko": "ko",
    "es": "es",
    "fr": "fr",
    "de": "de",
    "pt": "pt",
    "ru": "ru",
    "ar": "ar",
    "th": "th",
    "vi": "vi",
    "id": "id",
    "it": "it",
    "ms": "ms",
}

# CLDR (UN M.49) region codes whose names the catalogue may use for regions.
REGION_CODES = [
    "001",  # World
    "142",  # Asia
    "150",  # Europe
    "019",  # Americas
    "002",  # Africa
    "009",  # Oceania
    "145",  # Western Asia (what travel products call "Middle East")
    "035",  # South-East Asia
    "030",  # Eastern Asia
    "419",  # Latin America
]

# mcc-mnc-list uses combined country codes for networks that serve several
# ISO territories under one MCC. keepsim maps each to ONE primary territory:
COMBINED_COUNTRY: dict[str, str | None] = {
    # MCC 505: Australian networks also serve the external territories of
    # Christmas Island and the Cocos (Keeling) Islands, which use Australian
    # numbering and the Australian MCC. Australia is the primary territory.
    "AU/CC/CX": "AU",
    # MCC 340: the French Antilles MCC shared by Saint-Barthelemy, French
    # Guiana, Guadeloupe, Saint-Martin and Martinique. The operators (Orange
    # Caraibe, SFR Caraibe, Digicel AFG) are headquartered in Guadeloupe,
    # which CLDR and the ITU list first for the MCC.
    "BL/GF/GP/MF/MQ": "GP",
    # MCC 362: the former Netherlands Antilles MCC, now shared by Bonaire /
    # Sint Eustatius / Saba, Curacao and Sint Maarten. Curacao is the largest
    # market and where the MCC's operators are based.
    "BQ/CW/SX": "CW",
    # MCC 647: French Indian Ocean MCC shared by Mayotte and Reunion; the
    # operators are based in Reunion, the larger territory.
    "YT/RE": "RE",
    # MCC 289 (Abkhazia): not assigned by the ITU and the territory has no
    # ISO 3166-1 code of its own. Excluded rather than mapped to GE, because
    # Georgian operators use MCC 282 and we must not claim 289 is Georgia.
    "GE-AB": None,
}

# When one PLMN is listed under several countries (Wikipedia lists some
# networks both in the home-country table and in the territory's table), the
# default is to keep the first listing and warn. These are the conflicts that
# were checked by hand and resolved deliberately instead (PLMN -> country):
PLMN_CONFLICT_OVERRIDES: dict[str, str] = {
    # Luxembourg companies (Proximus Luxembourg / Tango, Orange Luxembourg)
    # using Luxembourg's MCC 270, also listed under Belgium.
    "27077": "LU",
    "27099": "LU",
    # Nationwide US carriers, also listed under Puerto Rico / USVI.
    "310260": "US",  # T-Mobile US
    "310120": "US",  # T-Mobile US (former Sprint)
    "310280": "US",  # AT&T Mobility (former Centennial PR, withdrawn)
    "310410": "US",  # AT&T Mobility
    # Territory operators that merely use the US MCC.
    "311470": "VI",  # Viya, US Virgin Islands
    "311780": "AS",  # ASTCA, American Samoa
    "313510": "PR",  # Claro Puerto Rico
    "313790": "PR",  # Liberty Puerto Rico
    "310017": "PR",  # ProxTel Puerto Rico (withdrawn)
    # Digicel Jamaica; the same MNC is reused by Digicel in other islands
    # that share MCC 338, but Jamaica is the MCC's assignee.
    "33805": "JM",
    # Palestinian operators Jawwal and Ooredoo Palestine use Israel's MCC.
    "42505": "PS",
    "42506": "PS",
    # Norfolk Telecom (Norfolk Island) uses Australia's MCC.
    "50510": "NF",
}

# MCCs assigned by the ITU to one country but whose networks (per the data)
# also serve other territories. Without an override such an MCC would be
# "ambiguous" and have no fallback country. MCC -> country.
MCC_OVERRIDES: dict[str, str] = {
    "234": "GB",  # UK MCC, also used by Guernsey, Jersey, Isle of Man networks
    "235": "GB",  # second UK MCC
    "310": "US",  # US MCCs 310-316 (also Guam, N. Mariana Is., PR, USVI, AS)
    "311": "US",
    "312": "US",
    "313": "US",
    "314": "US",
    "315": "US",
    "316": "US",
    "270": "LU",  # Luxembourg MCC, some networks also listed under Belgium
    "255": "UA",  # Ukraine MCC, also listed for networks in MD/RU-controlled areas
    "425": "IL",  # Israel MCC, also used by Palestinian operators
    "505": "AU",  # Australia MCC, also Norfolk Island, Christmas/Cocos Islands
    "338": "JM",  # Jamaica MCC, reused by Digicel in BM, KY, LC, MS, TC
    "340": "GP",  # French Antilles MCC (see COMBINED_COUNTRY)
}

# MNC lengths that the data cannot decide by unanimity.
MNC_LEN_OVERRIDES: dict[str, int] = {
    # North American MCC 310 uses 3-digit MNCs (ATIS IMSI Oversight Council);
    # the one 2-digit entry (31059, Cellular One Bermuda) is a legacy
    # assignment that is still found by exact PLMN lookup.
    "310": 3,
}

MCC_RE = re.compile(r"^\d{3}$")
MNC_RE = re.compile(r"^\d{2,3}$")


def warn(msg: str) -> None:
    print(f"warning: {msg}", file=sys.stderr)


def load_json(path: Path):
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def write_json(name: str, value) -> None:
    path = OUT_DIR / name
    with path.open("w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path.relative_to(REPO_ROOT)}")


def display_name(name: str) -> str:
    """Capitalise a CLDR name for use as a standalone label (menu, list).

    CLDR gives some names in their middle-of-sentence form ("world" in en,
    "весь мир" or "о-в Мэн" in ru). As CLDR's "uiListOrMenu" context transform
    does, the first letter is upper-cased; names whose second letter is
    already upper case (brand-like "eSwatini") are left alone.
    """
    if name and name[0].islower() and not (len(name) > 1 and name[1].isupper()):
        return name[0].upper() + name[1:]
    return name


def load_cldr(src: Path) -> dict[str, dict[str, str]]:
    """Return {keepsim locale tag: {territory code: name}}."""
    cldr = {}
    for cldr_name, tag in CLDR_LOCALES.items():
        cldr[tag] = load_json(src / "cldr-territories" / f"{cldr_name}.json")
    return cldr


def names_for(code: str, cldr: dict[str, dict[str, str]]) -> dict[str, str]:
    names = {}
    for tag, table in cldr.items():
        if code in table:
            names[tag] = display_name(table[code])
        else:
            warn(f"CLDR {tag} has no name for {code}; keepsim will fall back to en")
    return names


def gen_countries(src: Path, cldr) -> dict:
    countries = load_json(src / "countries.min.json")
    continents = load_json(src / "continents.min.json")
    out = {}
    for code in sorted(countries):
        if code not in cldr["en"]:
            warn(f"{code} has no CLDR en name; skipped")
            continue
        continent = countries[code]["continent"]
        if continent not in continents:
            raise SystemExit(f"{code}: unknown continent {continent}")
        out[code] = {"continent": continent, "names": names_for(code, cldr)}
    return out


def gen_regions(cldr) -> dict:
    out = {}
    for code in REGION_CODES:
        if code not in cldr["en"]:
            raise SystemExit(f"CLDR en has no name for region {code}")
        out[code] = names_for(code, cldr)
    return out


def gen_plmns(src: Path, countries: dict) -> list[dict]:
    networks = load_json(src / "mcc-mnc-list.json")
    first: dict[str, str] = {}  # plmn -> country, in source order
    seen: dict[str, list[str]] = defaultdict(list)  # plmn -> every country listed
    skipped = defaultdict(int)
    for n in networks:
        if n.get("type") == "Test":
            skipped["Test network"] += 1
            continue
        raw_cc = n.get("countryCode")
        if not raw_cc:
            # International (901, 902, 991, 995: satellite, maritime, ...).
            skipped["no country (international)"] += 1
            continue
        if raw_cc in COMBINED_COUNTRY:
            cc = COMBINED_COUNTRY[raw_cc]
            if cc is None:
                skipped[f"excluded territory {raw_cc}"] += 1
                continue
        else:
            cc = raw_cc
        if cc not in countries:
            warn(f"{n['mcc']}-{n['mnc']}: country {raw_cc} unknown; skipped")
            continue
        mcc, mnc = n.get("mcc") or "", n.get("mnc") or ""
        if not MCC_RE.match(mcc) or not MNC_RE.match(mnc):
            warn(f"{mcc!r}-{mnc!r} ({cc}, {n.get('operator')}): not an MCC/MNC pair; skipped")
            continue
        plmn = mcc + mnc
        if cc not in seen[plmn]:
            seen[plmn].append(cc)
        first.setdefault(plmn, cc)
    for reason, count in sorted(skipped.items()):
        print(f"skipped {count} networks: {reason}")

    out = []
    for plmn in sorted(first):
        listed = seen[plmn]
        country = first[plmn]
        if len(listed) > 1:
            if plmn in PLMN_CONFLICT_OVERRIDES:
                country = PLMN_CONFLICT_OVERRIDES[plmn]
                if country not in listed:
                    raise SystemExit(f"override {plmn} -> {country} not among {listed}")
                how = "override table"
            else:
                how = "first listing"
            warn(f"PLMN {plmn} listed for {'/'.join(listed)}; kept {country} ({how})")
        elif plmn in PLMN_CONFLICT_OVERRIDES:
            warn(f"PLMN override {plmn} no longer needed (only {listed})")
        out.append({"plmn": plmn, "country": country})
    return out


def gen_mcc(plmns: list[dict]) -> dict[str, str]:
    by_mcc: dict[str, set[str]] = defaultdict(set)
    for p in plmns:
        by_mcc[p["plmn"][:3]].add(p["country"])
    out = {}
    for mcc in sorted(set(by_mcc) | set(MCC_OVERRIDES)):
        found = by_mcc.get(mcc, set())
        if mcc in MCC_OVERRIDES:
            cc = MCC_OVERRIDES[mcc]
            if len(found) > 1:
                print(f"MCC {mcc} is shared by {'/'.join(sorted(found))}: fallback {cc} (ITU assignee, override)")
            elif found and found != {cc}:
                warn(f"MCC {mcc} override {cc} disagrees with data {found}")
            out[mcc] = cc
        elif len(found) == 1:
            out[mcc] = next(iter(found))
        else:
            print(f"MCC {mcc} is shared by {'/'.join(sorted(found))}: no fallback country")
    return out


def gen_mnc_len(plmns: list[dict]) -> dict[str, int]:
    by_mcc: dict[str, set[int]] = defaultdict(set)
    for p in plmns:
        by_mcc[p["plmn"][:3]].add(len(p["plmn"]) - 3)
    out = {}
    for mcc in sorted(by_mcc):
        lens = by_mcc[mcc]
        if mcc in MNC_LEN_OVERRIDES:
            out[mcc] = MNC_LEN_OVERRIDES[mcc]
            print(f"MCC {mcc} has MNC lengths {sorted(lens)}: using {out[mcc]} (override)")
        elif len(lens) == 1:
            out[mcc] = next(iter(lens))
        else:
            print(f"MCC {mcc} has MNC lengths {sorted(lens)}: no default length")
    return out


README = """\
# keepsim-domain data

Generated by `tools/gen_geo_data.py`; do not edit by hand. To regenerate,
from the repository root:

```sh
python3 tools/gen_geo_data.py ../shared/data/countries
```

The files are compiled into `keepsim-domain` with `include_str!` (see
`src/geo.rs`).

| file | content | source | licence |
|---|---|---|---|
| `countries.json` | ISO 3166-1 alpha-2 codes with continent; names in 16 locales | codes and continents: npm `countries-list` 3.4.1; names: Unicode CLDR 48.2 `cldr-localenames-full` (territories) | MIT (`LICENSE.countries-list`); Unicode License v3 (`LICENSE.cldr`) |
| `regions.json` | names of CLDR / UN M.49 regions 001, 142, 150, 019, 002, 009, 145, 035, 030, 419 in 16 locales | Unicode CLDR 48.2 `cldr-localenames-full` | Unicode License v3 (`LICENSE.cldr`) |
| `plmn.json` | PLMN (MCC+MNC) -> ISO country | npm `mcc-mnc-list` 1.1.11 (compiled from Wikipedia's MCC/MNC tables) | MIT (`LICENSE.mcc-mnc-list`) |
| `mcc.json` | MCC -> country fallback | derived from `mcc-mnc-list` 1.1.11 plus the ITU assignments in the script | MIT (`LICENSE.mcc-mnc-list`) |
| `mnc_len.json` | MCC -> MNC length (2 or 3) | derived from `mcc-mnc-list` 1.1.11 | MIT (`LICENSE.mcc-mnc-list`) |

Locale keys: CLDR `zh` is stored as `zh-CN`, CLDR `zh-Hant` as `zh-TW`, the
others (en, ja, ko, es, fr, de, pt, ru, ar, th, vi, id, it, ms) by their CLDR
name. Names starting with a lower-case letter ("world", "о-в Мэн") are
capitalised for use as standalone labels, as CLDR's `uiListOrMenu` context
transform does.

Changes made to the network data, all listed with reasons in the script:

* Test networks, networks without a country (international MCCs 901, 902,
  991, 995) and entries whose MCC/MNC is not 3 + 2-or-3 digits are dropped.
* Combined codes map to one primary territory: `AU/CC/CX` -> AU,
  `BL/GF/GP/MF/MQ` -> GP, `BQ/CW/SX` -> CW, `YT/RE` -> RE. Abkhazia
  (`GE-AB`, MCC 289, not assigned by the ITU) is excluded.
* A PLMN listed under several countries keeps its first listing, except for
  the hand-checked conflicts in `PLMN_CONFLICT_OVERRIDES`.
* `mcc.json` maps an MCC to a country only when all its networks are in that
  country, or when the ITU assigns the shared MCC to one country
  (`MCC_OVERRIDES`: 234/235 GB, 310-316 US, 270 LU, 255 UA, 425 IL, 505 AU,
  338 JM, 340 GP).
* `mnc_len.json` lists an MCC only when all its networks agree on the MNC
  length, plus `MNC_LEN_OVERRIDES` (310 -> 3).
"""


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    if not src.is_dir():
        print(f"source directory {src} not found", file=sys.stderr)
        return 2
    OUT_DIR.mkdir(parents=True, exist_ok=True)

    cldr = load_cldr(src)
    countries = gen_countries(src, cldr)
    regions = gen_regions(cldr)
    plmns = gen_plmns(src, countries)
    mcc = gen_mcc(plmns)
    mnc_len = gen_mnc_len(plmns)

    write_json("countries.json", countries)
    write_json("regions.json", regions)
    write_json("plmn.json", plmns)
    write_json("mcc.json", mcc)
    write_json("mnc_len.json", mnc_len)
    for lic in ("LICENSE.cldr", "LICENSE.countries-list", "LICENSE.mcc-mnc-list"):
        shutil.copyfile(src / lic, OUT_DIR / lic)
        print(f"copied {lic}")
    (OUT_DIR / "README.md").write_text(README, encoding="utf-8")
    print(
        f"{len(countries)} countries, {len(regions)} regions, {len(plmns)} PLMNs, "
        f"{len(mcc)} MCC fallbacks, {len(mnc_len)} MNC lengths"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
