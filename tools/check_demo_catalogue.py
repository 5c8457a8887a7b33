#!/usr/bin/env python3
"""Sanity checks for the demo catalogue (crates/services/catalogue/demo.toml).

Usage, from the repository root:

    python3 tools/check_demo_catalogue.py [path/to/catalogue.toml]

Checks that the file parses as TOML and that it has what the demo needs:
enough regions and packages, unique codes, four prices per package, known
country codes (crates/domain/data/countries.json), consistent coverage and
data fields. The authoritative parser is keepsim_domain::catalogue; this is a
quick stand-alone check. Standard library only (Python 3.11+).
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOGUE = REPO_ROOT / "crates" / "services" / "catalogue" / "demo.toml"
COUNTRIES = REPO_ROOT / "crates" / "domain" / "data" / "countries.json"
REGION_NAMES = REPO_ROOT / "crates" / "domain" / "data" / "regions.json"

CURRENCIES = {"CNY", "USD", "HKD", "EUR"}
TIERS = {"basic", "monthly", "long-term", "number-keeping"}
STARTS = {"first_use", "purchase"}
LOCALES = {"en", "zh-CN", "zh-TW", "ja", "ko", "es", "fr", "de", "pt", "ru", "ar", "th", "vi", "id", "it", "ms"}
MIN_REGION_SIZE = {"europe": 33, "asia": 12, "global": 85}
MIN_PACKAGES = 34
SINGLE_COUNTRY = ["JP", "KR", "TH", "SG", "US", "GB", "FR", "DE", "AU", "HK", "CN", "TW", "MY", "VN"]
DATA_RE = re.compile(r"^(0|unlimited|[1-9][0-9]*(MB|GB))$")
CODE_RE = re.compile(r"^[A-Z0-9-]{1,64}$")
SLUG_RE = re.compile(r"^[a-z0-9-]{1,64}$")
PRICE_RE = re.compile(r"^[0-9]+\.[0-9]{2}$")
# Rough exchange rates, only to catch a price typed in the wrong currency.
PER_USD = {"USD": Decimal("1"), "CNY": Decimal("7.2"), "HKD": Decimal("7.8"), "EUR": Decimal("0.92")}


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_CATALOGUE
    with path.open("rb") as f:
        cat = tomllib.load(f)
    countries = set(json.loads(COUNTRIES.read_text(encoding="utf-8")))
    cldr_regions = set(json.loads(REGION_NAMES.read_text(encoding="utf-8")))
    errors: list[str] = []

    def err(msg: str) -> None:
        errors.append(msg)

    unknown_keys = set(cat) - {"region", "package"}
    if unknown_keys:
        err(f"unknown top-level keys {sorted(unknown_keys)}")

    regions = {}
    for r in cat.get("region", []):
        rid = r.get("id", "")
        if not SLUG_RE.match(rid):
            err(f"region id {rid!r} is not a slug")
        if rid in regions:
            err(f"region {rid!r} defined twice")
        if r.get("cldr") is not None and r["cldr"] not in cldr_regions:
            err(f"region {rid}: CLDR code {r['cldr']!r} not in regions.json")
        for tag in r.get("names", {}):
            if tag not in LOCALES:
                err(f"region {rid}: unknown locale {tag!r}")
        cs = r.get("countries", [])
        if len(set(cs)) != len(cs):
            err(f"region {rid}: duplicate countries")
        for c in cs:
            if c not in countries:
                err(f"region {rid}: unknown country {c!r}")
        regions[rid] = cs
    for rid, minimum in MIN_REGION_SIZE.items():
        if rid not in regions:
            err(f"region {rid!r} missing")
        elif len(regions[rid]) < minimum:
            err(f"region {rid}: {len(regions[rid])} countries, want >= {minimum}")

    packages = cat.get("package", [])
    if len(packages) < MIN_PACKAGES:
        err(f"{len(packages)} packages, want >= {MIN_PACKAGES}")
    codes: set[str] = set()
    tiers: dict[str, int] = {t: 0 for t in TIERS}
    single: set[str] = set()
    bundles = 0
    for p in packages:
        code = p.get("code", "")
        where = f"package {code!r}"
        if not CODE_RE.match(code):
            err(f"{where}: code must be [A-Z0-9-]")
        if code in codes:
            err(f"{where}: duplicate code")
        codes.add(code)
        if not p.get("name"):
            err(f"{where}: no name")
        names = p.get("names", {})
        for tag in names:
            if tag not in LOCALES:
                err(f"{where}: unknown locale {tag!r}")
        for tag in ("zh-CN", "zh-TW"):
            if not names.get(tag):
                err(f"{where}: no {tag} name")
        tier = p.get("tier")
        if tier not in TIERS:
            err(f"{where}: tier {tier!r}")
        else:
            tiers[tier] += 1
        has_countries, has_region = "countries" in p, "region" in p
        if has_countries == has_region:
            err(f"{where}: needs exactly one of countries / region")
        if has_countries:
            for c in p["countries"]:
                if c not in countries:
                    err(f"{where}: unknown country {c!r}")
            if len(p["countries"]) == 1 and tier == "basic":
                single.add(p["countries"][0])
        if has_region and p["region"] not in regions:
            err(f"{where}: unknown region {p['region']!r}")
        data = p.get("data", "")
        if not DATA_RE.match(data):
            err(f"{where}: data {data!r}")
        if (data == "unlimited") != ("fair_use" in p):
            err(f"{where}: fair_use is required iff data = \"unlimited\"")
        if "fair_use" in p and not DATA_RE.match(p["fair_use"]):
            err(f"{where}: fair_use {p['fair_use']!r}")
        for key in ("voice_minutes", "sms", "validity_days", "keeps_number_days"):
            if not isinstance(p.get(key), int) or p[key] < 0:
                err(f"{where}: {key} must be a non-negative integer")
        if p.get("validity_days", 0) <= 0:
            err(f"{where}: validity_days must be positive")
        if p.get("voice_minutes", 0) > 0 and p.get("sms", 0) > 0:
            bundles += 1
        if tier == "number-keeping" and p.get("keeps_number_days") not in (180, 365):
            err(f"{where}: number-keeping plans keep the number 180 or 365 days")
        if tier == "monthly" and p.get("validity_days") != 30:
            err(f"{where}: monthly plans last 30 days")
        if tier == "long-term" and p.get("validity_days", 0) < 90:
            err(f"{where}: long-term plans last 90 days or more")
        if p.get("starts") not in STARTS:
            err(f"{where}: starts {p.get('starts')!r}")
        prices = p.get("prices", {})
        if set(prices) != CURRENCIES:
            err(f"{where}: prices in {sorted(prices)}, want {sorted(CURRENCIES)}")
            continue
        usd_equiv = {}
        for cur, amount in prices.items():
            if not isinstance(amount, str) or not PRICE_RE.match(amount):
                err(f"{where}: {cur} price {amount!r} must be a decimal string with 2 decimals")
                continue
            try:
                usd_equiv[cur] = Decimal(amount) / PER_USD[cur]
            except InvalidOperation:
                err(f"{where}: {cur} price {amount!r}")
        if len(usd_equiv) == 4:
            lo, hi = min(usd_equiv.values()), max(usd_equiv.values())
            if hi > lo * Decimal("1.25") + Decimal("0.5"):
                err(f"{where}: prices disagree across currencies {prices}")

    missing = [c for c in SINGLE_COUNTRY if c not in single]
    if missing:
        err(f"no single-country basic package for {missing}")
    if tiers["number-keeping"] < 3:
        err("want at least 3 number-keeping plans")
    for t in ("monthly", "long-term"):
        if tiers[t] == 0:
            err(f"no {t} plans")
    if bundles < 2:
        err("want a few bundles with voice minutes and SMS")

    print(
        f"{path}: {len(regions)} regions ({', '.join(f'{k} {len(v)}' for k, v in regions.items())}), "
        f"{len(packages)} packages ({', '.join(f'{k} {v}' for k, v in sorted(tiers.items()))}), "
        f"{bundles} with voice and SMS"
    )
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
