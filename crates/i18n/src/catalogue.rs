//! The parsed message catalogue: one Fluent bundle per shipped language, and
//! rendering a message with English as the fallback.

use std::fmt;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use keepsim_domain::Locale;
use unic_langid::LanguageIdentifier;

/// A bundle shared between threads: the catalogue lives in a `static`.
type Bundle = FluentBundle<FluentResource>;

/// A value passed to a message's variable (`$package`, `$days`, …).
///
/// Strings are shown as they are, so dates, amounts of money and data are
/// formatted by the caller. Integers are numbers to Fluent: they pick the
/// plural form in a selector (`{ $days -> [one] … *[other] … }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Text shown verbatim.
    Str(String),
    /// A number, used for plural selection and shown in plain digits.
    Int(i64),
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Str(value.to_owned())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Str(value)
    }
}

impl From<i64> for Arg {
    fn from(value: i64) -> Self {
        Arg::Int(value)
    }
}

impl From<u32> for Arg {
    fn from(value: u32) -> Self {
        Arg::Int(i64::from(value))
    }
}

impl From<u64> for Arg {
    /// Values above `i64::MAX` saturate to `i64::MAX`.
    fn from(value: u64) -> Self {
        Arg::Int(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl Arg {
    /// The Fluent value borrowing this argument.
    fn to_fluent(&self) -> FluentValue<'_> {
        match self {
            Arg::Str(text) => FluentValue::from(text.as_str()),
            Arg::Int(number) => FluentValue::from(*number),
        }
    }
}

/// Why a message could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// Neither the requested language nor English has a message with this id.
    #[error("unknown message {0:?}")]
    UnknownMessage(String),
    /// Fluent reported errors while formatting, e.g. a variable the message
    /// uses was not passed. The text names the message, language and errors.
    #[error("cannot format message: {0}")]
    Format(String),
}

/// One shipped language: its bundle and the ids of the messages it defines.
struct Language {
    locale: Locale,
    bundle: Bundle,
    ids: Vec<String>,
}

/// Every shipped language's messages, parsed once.
///
/// Obtain the compiled-in catalogue with [`crate::catalogue`]. Rendering
/// never panics: a message a language lacks is taken from English, and
/// anything else wrong is a [`RenderError`].
pub struct Catalogue {
    /// Shipped languages, in the order of the sources they were built from.
    languages: Vec<Language>,
    parse_errors: Vec<(Locale, String)>,
}

impl fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalogue")
            .field("languages", &self.languages.iter().map(|l| l.locale.tag()).collect::<Vec<_>>())
            .field("parse_errors", &self.parse_errors)
            .finish()
    }
}

impl Catalogue {
    /// Parses one Fluent source per language. Syntax errors and duplicate
    /// ids are recorded (see [`Catalogue::parse_errors`]); the entries that
    /// did parse are kept, so one broken message does not hide the others.
    pub(crate) fn from_sources(sources: &[(Locale, &str)]) -> Catalogue {
        let mut languages = Vec::with_capacity(sources.len());
        let mut parse_errors = Vec::new();
        for &(locale, source) in sources {
            let langid = match locale.tag().parse::<LanguageIdentifier>() {
                Ok(langid) => langid,
                Err(error) => {
                    parse_errors.push((locale, format!("language tag {:?}: {error}", locale.tag())));
                    LanguageIdentifier::default()
                }
            };
            let resource = match FluentResource::try_new(source.to_owned()) {
                Ok(resource) => resource,
                Err((resource, errors)) => {
                    for error in errors {
                        // The broken entry starts where the junk slice does; the
                        // position itself is often on the entry's next line.
                        let start = error.slice.as_ref().map_or(error.pos.start, |slice| slice.start);
                        let line = source.get(..start).map_or(1, |before| before.matches('\n').count() + 1);
                        parse_errors.push((locale, format!("line {line}: {error}")));
                    }
                    resource
                }
            };
            let ids = resource
                .entries()
                .filter_map(|entry| match entry {
                    ast::Entry::Message(message) if message.value.is_some() => Some(message.id.name.to_owned()),
                    _ => None,
                })
                .collect();
            let mut bundle = Bundle::new_concurrent(vec![langid]);
            // Isolation marks (U+2068/U+2069) would end up in emails and JSON.
            bundle.set_use_isolating(false);
            if let Err(errors) = bundle.add_resource(resource) {
                parse_errors.extend(errors.into_iter().map(|error| (locale, error.to_string())));
            }
            languages.push(Language { locale, bundle, ids });
        }
        Catalogue { languages, parse_errors }
    }

    /// The shipped languages, in catalogue order.
    pub fn locales(&self) -> impl Iterator<Item = Locale> + '_ {
        self.languages.iter().map(|language| language.locale)
    }

    /// Whether `locale` itself (without falling back) has message `id`.
    pub fn has_message(&self, locale: Locale, id: &str) -> bool {
        self.pattern(locale, id).is_some()
    }

    /// Renders message `id` in `locale` with the given variables.
    ///
    /// Falls back to English when `locale` is not shipped or lacks the
    /// message. Fails with [`RenderError::UnknownMessage`] when English lacks
    /// it too, and with [`RenderError::Format`] when Fluent reports an error
    /// (a variable the message uses is missing, a broken reference). Extra
    /// variables are ignored.
    pub fn render(&self, locale: Locale, id: &str, args: &[(&str, Arg)]) -> Result<String, RenderError> {
        let (used, bundle, pattern) = self
            .pattern(locale, id)
            .map(|(bundle, pattern)| (locale, bundle, pattern))
            .or_else(|| self.pattern(Locale::En, id).map(|(bundle, pattern)| (Locale::En, bundle, pattern)))
            .ok_or_else(|| RenderError::UnknownMessage(id.to_owned()))?;
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent_args.set(*name, value.to_fluent());
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if errors.is_empty() {
            Ok(text.into_owned())
        } else {
            let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
            Err(RenderError::Format(format!("{id} ({}): {}", used.tag(), errors.join("; "))))
        }
    }

    /// Every message id English defines that another shipped language does
    /// not, as `(language, id)`. Empty for a complete catalogue.
    pub fn missing_messages(&self) -> Vec<(Locale, String)> {
        let Some(english) = self.language(Locale::En) else {
            return Vec::new();
        };
        self.languages
            .iter()
            .filter(|language| language.locale != Locale::En)
            .flat_map(|language| {
                english.ids.iter().filter(|id| !language.ids.contains(id)).map(|id| (language.locale, id.clone()))
            })
            .collect()
    }

    /// Syntax errors, duplicate message ids and bad language tags found
    /// while building, as `(language, description)`. Empty for a sound
    /// catalogue.
    pub fn parse_errors(&self) -> &[(Locale, String)] {
        &self.parse_errors
    }

    fn language(&self, locale: Locale) -> Option<&Language> {
        self.languages.iter().find(|language| language.locale == locale)
    }

    /// The bundle of `locale` and the value of its message `id`, if both exist.
    fn pattern(&self, locale: Locale, id: &str) -> Option<(&Bundle, &ast::Pattern<&str>)> {
        let bundle = &self.language(locale)?.bundle;
        let pattern = bundle.get_message(id)?.value()?;
        Some((bundle, pattern))
    }
}
