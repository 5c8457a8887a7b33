//! The user-interface languages keepsim ships, and how to pick one.
//!
//! A [`Locale`] is one of the 16 languages whose country and region names are
//! compiled in (see [`crate::geo`]). Tags follow BCP 47: Chinese is split by
//! script into Simplified (`zh-CN`) and Traditional (`zh-TW`); every other
//! language is identified by its primary language subtag alone.
//!
//! * [`Locale::from_tag`] maps one BCP 47 tag (`"zh-Hant-HK"`, `"en_GB"`) to a
//!   locale, or `None` when keepsim does not speak that language.
//! * [`Locale::resolve`] does the same but falls back to English.
//! * [`Locale::negotiate`] picks the best locale from an HTTP
//!   `Accept-Language` header (RFC 9110 §12.5.4), never panicking on garbage.
//!
//! Locales serialize as their canonical tag (`"zh-CN"`); deserialization
//! accepts anything [`Locale::from_tag`] accepts and rejects the rest.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A user-interface language supported by keepsim.
///
/// The declaration order is the order of [`Locale::ALL`]; English is the
/// default and the fallback for anything unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    /// English (`en`).
    #[default]
    En,
    /// Chinese, Simplified script, as used in mainland China (`zh-CN`).
    ZhCn,
    /// Chinese, Traditional script, as used in Taiwan (`zh-TW`); also chosen
    /// for Hong Kong and Macao.
    ZhTw,
    /// Japanese (`ja`).
    Ja,
    /// Korean (`ko`).
    Ko,
    /// Spanish (`es`).
    Es,
    /// French (`fr`).
    Fr,
    /// German (`de`).
    De,
    /// Portuguese (`pt`).
    Pt,
    /// Russian (`ru`).
    Ru,
    /// Arabic (`ar`).
    Ar,
    /// Thai (`th`).
    Th,
    /// Vietnamese (`vi`).
    Vi,
    /// Indonesian (`id`).
    Id,
    /// Italian (`it`).
    It,
    /// Malay (`ms`).
    Ms,
}

/// Error returned when a string is not a language tag keepsim supports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported locale {0:?}")]
pub struct UnknownLocale(pub String);

/// Largest `Accept-Language` header [`Locale::negotiate`] looks at; anything
/// after this many bytes is ignored (real headers are well under 200 bytes).
const MAX_ACCEPT_LANGUAGE: usize = 4096;

impl Locale {
    /// Every supported locale, in declaration order (`Locale::ALL[i] as usize == i`).
    pub const ALL: [Locale; 16] = [
        Locale::En,
        Locale::ZhCn,
        Locale::ZhTw,
        Locale::Ja,
        Locale::Ko,
        Locale::Es,
        Locale::Fr,
        Locale::De,
        Locale::Pt,
        Locale::Ru,
        Locale::Ar,
        Locale::Th,
        Locale::Vi,
        Locale::Id,
        Locale::It,
        Locale::Ms,
    ];

    /// The canonical BCP 47 tag: `"en"`, `"zh-CN"`, `"zh-TW"`, `"ja"`, …
    ///
    /// This is also the key used for translations in the compiled-in data
    /// and in catalogue files.
    pub const fn tag(&self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
            Locale::ZhTw => "zh-TW",
            Locale::Ja => "ja",
            Locale::Ko => "ko",
            Locale::Es => "es",
            Locale::Fr => "fr",
            Locale::De => "de",
            Locale::Pt => "pt",
            Locale::Ru => "ru",
            Locale::Ar => "ar",
            Locale::Th => "th",
            Locale::Vi => "vi",
            Locale::Id => "id",
            Locale::It => "it",
            Locale::Ms => "ms",
        }
    }

    /// Maps a BCP 47 language tag to a supported locale.
    ///
    /// Matching is case-insensitive and accepts `_` as well as `-` between
    /// subtags (`en_GB`, as POSIX locales write it). Chinese is decided by
    /// script first, then region: `zh`, `zh-CN`, `zh-SG`, `zh-Hans`,
    /// `zh-Hans-CN` → [`Locale::ZhCn`]; `zh-TW`, `zh-HK`, `zh-MO`, `zh-Hant`,
    /// `zh-Hant-TW` → [`Locale::ZhTw`]. Every other tag is matched by its
    /// primary language subtag (`ja-JP` → [`Locale::Ja`]; the deprecated
    /// `in` is Indonesian). Returns `None` for unsupported languages, for
    /// the wildcard `*` and for strings that are not well-formed tags.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let tag = tag.trim();
        let mut subtags = tag.split(['-', '_']);
        let language = subtags.next()?;
        if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        let rest: Vec<&str> = subtags.collect();
        if rest.iter().any(|s| s.is_empty() || s.len() > 8 || !s.bytes().all(|b| b.is_ascii_alphanumeric())) {
            return None;
        }
        let language = language.to_ascii_lowercase();
        let locale = match language.as_str() {
            "en" => Locale::En,
            "zh" => Self::chinese(&rest),
            "ja" => Locale::Ja,
            "ko" => Locale::Ko,
            "es" => Locale::Es,
            "fr" => Locale::Fr,
            "de" => Locale::De,
            "pt" => Locale::Pt,
            "ru" => Locale::Ru,
            "ar" => Locale::Ar,
            "th" => Locale::Th,
            "vi" => Locale::Vi,
            "id" | "in" => Locale::Id,
            "it" => Locale::It,
            "ms" => Locale::Ms,
            _ => return None,
        };
        Some(locale)
    }

    /// Chooses Simplified or Traditional Chinese from the subtags after `zh`.
    fn chinese(rest: &[&str]) -> Locale {
        // An explicit script subtag wins over the region.
        for subtag in rest {
            if subtag.eq_ignore_ascii_case("hant") {
                return Locale::ZhTw;
            }
            if subtag.eq_ignore_ascii_case("hans") {
                return Locale::ZhCn;
            }
        }
        let traditional = rest.iter().any(|s| ["tw", "hk", "mo"].iter().any(|r| s.eq_ignore_ascii_case(r)));
        if traditional { Locale::ZhTw } else { Locale::ZhCn }
    }

    /// Like [`Locale::from_tag`], but unknown or malformed tags give English.
    pub fn resolve(tag: &str) -> Locale {
        Self::from_tag(tag).unwrap_or_default()
    }

    /// Picks the best supported locale from an `Accept-Language` header.
    ///
    /// Each comma-separated entry is a language range with an optional
    /// quality `;q=` (0 to 1 with up to three decimals, parsed as an integer
    /// number of thousandths; no floating point). Entries with `q=0`, an
    /// invalid `q` or an unsupported language are ignored. The supported
    /// entry with the highest quality wins; on a tie the earlier entry wins.
    /// An empty, unsupported or garbage header gives [`Locale::En`]. Never
    /// panics; only the first 4 KiB of the header are considered.
    pub fn negotiate(accept_language: &str) -> Locale {
        let mut header = accept_language;
        if header.len() > MAX_ACCEPT_LANGUAGE {
            let mut end = MAX_ACCEPT_LANGUAGE;
            while !header.is_char_boundary(end) {
                end -= 1;
            }
            header = &header[..end];
        }
        let mut best: Option<(u16, Locale)> = None;
        for entry in header.split(',') {
            let mut parts = entry.split(';');
            let range = parts.next().unwrap_or_default().trim();
            let mut quality = Some(1000);
            for param in parts {
                let Some((name, value)) = param.split_once('=') else {
                    continue;
                };
                if name.trim().eq_ignore_ascii_case("q") {
                    quality = parse_quality(value.trim());
                }
            }
            let Some(quality) = quality else { continue };
            if quality == 0 {
                continue;
            }
            let Some(locale) = Self::from_tag(range) else {
                continue;
            };
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, locale));
            }
        }
        best.map(|(_, locale)| locale).unwrap_or_default()
    }
}

/// Parses an RFC 9110 `qvalue` (`0`, `0.5`, `1`, `1.000`, `0.125`) into
/// thousandths (0–1000). Returns `None` for anything else.
fn parse_quality(value: &str) -> Option<u16> {
    let (int, frac) = match value.split_once('.') {
        Some((int, frac)) => (int, frac),
        None => (value, ""),
    };
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut thousandths: u16 = 0;
    for (i, digit) in frac.bytes().enumerate() {
        let scale = [100, 10, 1][i];
        thousandths += u16::from(digit - b'0') * scale;
    }
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl FromStr for Locale {
    type Err = UnknownLocale;

    /// Same as [`Locale::from_tag`], with an error for unsupported tags.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Locale::from_tag(s).ok_or_else(|| UnknownLocale(s.to_owned()))
    }
}

impl Serialize for Locale {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.tag())
    }
}

impl<'de> Deserialize<'de> for Locale {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let tag = String::deserialize(deserializer)?;
        tag.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn all_is_in_declaration_order_and_tags_round_trip() {
        for (i, locale) in Locale::ALL.iter().enumerate() {
            assert_eq!(*locale as usize, i);
            assert_eq!(Locale::from_tag(locale.tag()), Some(*locale));
        }
        assert_eq!(Locale::default(), Locale::En);
    }

    #[test]
    fn chinese_variants() {
        for tag in ["zh-CN", "zh-Hans", "zh", "zh-SG", "zh-Hans-CN", "ZH-hans", "zh_CN", "zh-cn"] {
            assert_eq!(Locale::from_tag(tag), Some(Locale::ZhCn), "{tag}");
        }
        for tag in ["zh-TW", "zh-HK", "zh-MO", "zh-Hant", "zh-Hant-TW", "zh-hant-hk", "zh_TW", "zh-Hant-CN"] {
            assert_eq!(Locale::from_tag(tag), Some(Locale::ZhTw), "{tag}");
        }
    }

    #[test]
    fn language_subtag_match() {
        assert_eq!(Locale::from_tag("en-US"), Some(Locale::En));
        assert_eq!(Locale::from_tag("en_GB"), Some(Locale::En));
        assert_eq!(Locale::from_tag("EN"), Some(Locale::En));
        assert_eq!(Locale::from_tag("ja-JP"), Some(Locale::Ja));
        assert_eq!(Locale::from_tag("ko-KR"), Some(Locale::Ko));
        assert_eq!(Locale::from_tag("pt-BR"), Some(Locale::Pt));
        assert_eq!(Locale::from_tag("es-419"), Some(Locale::Es));
        assert_eq!(Locale::from_tag("sr-Latn-RS"), None);
        assert_eq!(Locale::from_tag("in"), Some(Locale::Id));
        assert_eq!(Locale::from_tag("ms-MY"), Some(Locale::Ms));
    }

    #[test]
    fn malformed_tags() {
        for tag in ["", "*", "-", "e", "english", "en-", "en--US", "en-US!", "日本", "zh-", "12"] {
            assert_eq!(Locale::from_tag(tag), None, "{tag}");
            assert_eq!(Locale::resolve(tag), Locale::En, "{tag}");
        }
    }

    #[test]
    fn resolve_falls_back_to_english() {
        assert_eq!(Locale::resolve("fr-CA"), Locale::Fr);
        assert_eq!(Locale::resolve("xx"), Locale::En);
    }

    #[test]
    fn negotiate_picks_highest_quality() {
        assert_eq!(Locale::negotiate("zh-CN,zh;q=0.9,en;q=0.8"), Locale::ZhCn);
        assert_eq!(Locale::negotiate("en;q=0.5, ja;q=0.8"), Locale::Ja);
        assert_eq!(Locale::negotiate("zh-HK, en;q=0.9"), Locale::ZhTw);
        assert_eq!(Locale::negotiate("xx, fr;q=0.1"), Locale::Fr);
        assert_eq!(Locale::negotiate("de;q=0.500, es;q=0.501"), Locale::Es);
        assert_eq!(Locale::negotiate("ko;Q=1.0"), Locale::Ko);
        assert_eq!(Locale::negotiate("th ; q = 0.7 , vi;q=0.6"), Locale::Th);
    }

    #[test]
    fn negotiate_ties_keep_order() {
        assert_eq!(Locale::negotiate("fr, de"), Locale::Fr);
        assert_eq!(Locale::negotiate("it;q=0.5, ru;q=0.5"), Locale::It);
    }

    #[test]
    fn negotiate_ignores_rejected_and_invalid() {
        assert_eq!(Locale::negotiate("ja;q=0, ko;q=0.1"), Locale::Ko);
        assert_eq!(Locale::negotiate("ja;q=2, ko;q=0.1"), Locale::Ko);
        assert_eq!(Locale::negotiate("ja;q=0.1234, ko;q=0.1"), Locale::Ko);
        assert_eq!(Locale::negotiate("ja;q=abc"), Locale::En);
        assert_eq!(Locale::negotiate("ja;q=1.001"), Locale::En);
        assert_eq!(Locale::negotiate("*"), Locale::En);
        assert_eq!(Locale::negotiate(""), Locale::En);
        assert_eq!(Locale::negotiate(";;;,,,=q"), Locale::En);
        assert_eq!(Locale::negotiate("xx-YY;q=0.9"), Locale::En);
        assert_eq!(Locale::negotiate("ar;foo=bar;q=0.3"), Locale::Ar);
    }

    #[test]
    fn negotiate_huge_header() {
        let mut header = "é,".repeat(5000);
        header.push_str("ja");
        assert_eq!(Locale::negotiate(&header), Locale::En);
        assert_eq!(Locale::negotiate(&format!("ms,{header}")), Locale::Ms);
    }

    #[test]
    fn quality_parsing() {
        assert_eq!(parse_quality("1"), Some(1000));
        assert_eq!(parse_quality("1."), Some(1000));
        assert_eq!(parse_quality("1.000"), Some(1000));
        assert_eq!(parse_quality("0"), Some(0));
        assert_eq!(parse_quality("0.5"), Some(500));
        assert_eq!(parse_quality("0.05"), Some(50));
        assert_eq!(parse_quality("0.125"), Some(125));
        assert_eq!(parse_quality("0.1250"), None);
        assert_eq!(parse_quality("-0.5"), None);
        assert_eq!(parse_quality("+1"), None);
        assert_eq!(parse_quality(""), None);
        assert_eq!(parse_quality(".5"), None);
    }

    #[test]
    fn serde_uses_the_tag() {
        assert_eq!(serde_json::to_string(&Locale::ZhTw).expect("serialize"), "\"zh-TW\"");
        let parsed: Locale = serde_json::from_str("\"zh-Hans\"").expect("deserialize");
        assert_eq!(parsed, Locale::ZhCn);
        assert!(serde_json::from_str::<Locale>("\"xx\"").is_err());
        assert_eq!("ja-JP".parse::<Locale>(), Ok(Locale::Ja));
        assert_eq!(Locale::Ko.to_string(), "ko");
    }

    proptest! {
        #[test]
        fn negotiate_never_panics(header in ".{0,200}") {
            let _ = Locale::negotiate(&header);
        }

        #[test]
        fn negotiate_never_panics_on_header_like_input(
            header in "([a-zA-Z*_-]{0,12}(;[ qQ]{0,2}=?[0-9.]{0,6})?[, ]{0,2}){0,8}"
        ) {
            let _ = Locale::negotiate(&header);
            let _ = Locale::resolve(&header);
        }
    }
}
