use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;

use super::*;

/// A value for every variable any message uses.
fn sample_args() -> Vec<(&'static str, Arg)> {
    vec![
        ("package", "Europe 10 GB".into()),
        ("percent", 80_u32.into()),
        ("remaining", "2.0 GB".into()),
        ("expires", "2025-07-01".into()),
        ("days", 3_u32.into()),
        ("amount", "€12.50".into()),
        ("valid_until", "2026-07-01".into()),
        ("number", "+44 7700 900123".into()),
        ("link", "https://keepsim.example/l/abc".into()),
        // Page messages.
        ("count", 2_u32.into()),
        ("email", "ana@example.com".into()),
        ("query", "Atlantis".into()),
        ("place", "Japan".into()),
        ("date", "1 Dec 2026".into()),
        ("left", 40_u32.into()),
        ("total", 100_u32.into()),
        ("method", "Alipay".into()),
        ("currency", "EUR".into()),
        ("max", "€99.00".into()),
        ("subject", "Roaming in Japan".into()),
    ]
}

/// Messages whose text deliberately carries a placeholder for the browser's script.
const BROWSER_PLACEHOLDERS: [&str; 1] = ["imei-live-short"];

fn english_ids() -> Vec<String> {
    let mut ids: Vec<String> = message_variables(Locale::En).into_keys().collect();
    ids.sort();
    ids
}

fn source(locale: Locale) -> &'static str {
    SOURCES.iter().find(|(l, _)| *l == locale).map(|(_, s)| *s).expect("shipped language")
}

/// Message id → the variables its value uses, read from the Fluent syntax tree.
fn message_variables(locale: Locale) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(source(locale)).expect("parses");
    let mut messages = BTreeMap::new();
    for entry in &resource.body {
        if let ast::Entry::Message(message) = entry {
            let mut variables = BTreeSet::new();
            if let Some(pattern) = &message.value {
                pattern_variables(pattern, &mut variables);
            }
            messages.insert(message.id.name.to_owned(), variables);
        }
    }
    messages
}

fn pattern_variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, out),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => call_variables(arguments, out),
        ast::InlineExpression::TermReference { arguments: Some(arguments), .. } => call_variables(arguments, out),
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

fn call_variables(arguments: &ast::CallArguments<&str>, out: &mut BTreeSet<String>) {
    for argument in &arguments.positional {
        inline_variables(argument, out);
    }
    for argument in &arguments.named {
        inline_variables(&argument.value, out);
    }
}

#[test]
fn shipped_languages_are_the_sources_and_english_comes_first() {
    let sources: Vec<Locale> = SOURCES.iter().map(|(locale, _)| *locale).collect();
    assert_eq!(languages(), sources.as_slice());
    assert_eq!(catalogue().locales().collect::<Vec<_>>(), sources);
    assert_eq!(languages().first(), Some(&Locale::En));
    assert!(languages().contains(&Locale::ZhCn));
}

#[test]
fn shipped_files_parse_without_errors() {
    assert_eq!(parse_errors(), Vec::new());
    for locale in languages() {
        fluent_syntax::parser::parse(source(*locale)).unwrap_or_else(|(_, errors)| panic!("{locale}: {errors:?}"));
    }
}

#[test]
fn every_shipped_language_has_every_message() {
    let missing = missing_messages();
    assert!(missing.is_empty(), "messages missing from translations: {missing:?}");
    for locale in languages() {
        for id in english_ids() {
            assert!(catalogue().has_message(*locale, &id), "{locale} lacks {id}");
        }
    }
}

#[test]
fn translations_define_no_message_english_lacks() {
    let english = english_ids();
    for locale in languages() {
        let extra: Vec<String> = message_variables(*locale).into_keys().filter(|id| !english.contains(id)).collect();
        assert!(extra.is_empty(), "{locale} defines ids English lacks: {extra:?}");
    }
}

#[test]
fn translations_use_only_the_variables_english_uses() {
    let english = message_variables(Locale::En);
    for locale in languages() {
        for (id, variables) in message_variables(*locale) {
            let Some(expected) = english.get(&id) else { continue };
            assert!(variables.is_subset(expected), "{locale} {id} uses {variables:?}, English only {expected:?}");
        }
    }
}

#[test]
fn every_notification_kind_and_email_text_exists() {
    for kind in NOTIFICATION_KINDS {
        for part in ["title", "body"] {
            let id = format!("notification-{kind}-{part}");
            assert!(catalogue().has_message(Locale::En, &id), "{id}");
        }
    }
    assert!(catalogue().has_message(Locale::En, "email-greeting"));
    assert!(catalogue().has_message(Locale::En, "email-footer"));
    let expected: BTreeSet<String> = NOTIFICATION_KINDS
        .iter()
        .flat_map(|kind| [format!("notification-{kind}-title"), format!("notification-{kind}-body")])
        .chain(["email-greeting".to_owned(), "email-footer".to_owned()])
        .collect();
    let notification_ids: BTreeSet<String> =
        english_ids().into_iter().filter(|id| id.starts_with("notification-") || id.starts_with("email-")).collect();
    assert_eq!(notification_ids, expected);
}

#[test]
fn every_message_renders_cleanly_in_every_language() {
    let args = sample_args();
    for locale in languages() {
        for id in english_ids() {
            let text = render(*locale, &id, &args).unwrap_or_else(|e| panic!("{locale} {id}: {e}"));
            assert!(!text.trim().is_empty(), "{locale} {id} is empty");
            if !BROWSER_PLACEHOLDERS.contains(&id.as_str()) {
                assert!(!text.contains(['{', '}', '$']), "{locale} {id} has a stray placeholder: {text}");
            }
            assert!(!text.contains(['\u{2068}', '\u{2069}']), "{locale} {id} has isolation marks");
        }
    }
}

#[test]
fn output_has_no_isolation_marks() {
    let text = render(Locale::En, "notification-data_threshold-body", &sample_args()).expect("renders");
    assert_eq!(text, "You have used 80% of the data in Europe 10 GB. You have 2.0 GB left.");
    assert!(!text.contains('\u{2068}') && !text.contains('\u{2069}'));
}

#[test]
fn english_days_use_the_plural_form() {
    let expiring = |days: u32| {
        notification(
            Locale::En,
            "bundle_expiring",
            &[("package", "Japan 5 GB".into()), ("days", days.into()), ("expires", "2025-07-01".into())],
        )
        .expect("renders")
    };
    let (title, body) = expiring(1);
    assert_eq!(title, "Japan 5 GB expires in 1 day");
    assert!(body.contains("(in 1 day)"), "{body}");
    let (title, body) = expiring(3);
    assert_eq!(title, "Japan 5 GB expires in 3 days");
    assert!(body.contains("(in 3 days)"), "{body}");
    let title = render(Locale::En, "notification-line_expiring-title", &[("days", 1_i64.into())]).expect("renders");
    assert_eq!(title, "Your number expires in 1 day");
    let title = render(Locale::En, "notification-line_expiring-title", &[("days", 7_i64.into())]).expect("renders");
    assert_eq!(title, "Your number expires in 7 days");
}

#[test]
fn spanish_days_use_the_plural_form() {
    let title = |days: i64| render(Locale::Es, "notification-line_expiring-title", &[("days", days.into())]);
    assert_eq!(title(1).expect("renders"), "Tu número caduca en 1 día");
    assert_eq!(title(3).expect("renders"), "Tu número caduca en 3 días");
}

#[test]
fn languages_without_plurals_render_the_count() {
    let args = [("days", Arg::from(3_u32))];
    let title = |locale| render(locale, "notification-line_expiring-title", &args).expect("renders");
    assert_eq!(title(Locale::ZhCn), "号码还有 3 天到期");
    assert!(title(Locale::ZhCn).contains("3 天"));
    assert_eq!(title(Locale::ZhTw), "門號還有 3 天到期");
    assert_eq!(title(Locale::Ja), "電話番号の有効期限まであと3日");
    assert_eq!(title(Locale::Ko), "전화번호 만료까지 3일 남았습니다");
    let one = render(Locale::ZhCn, "notification-line_expiring-title", &[("days", 1_u32.into())]).expect("renders");
    assert_eq!(one, "号码还有 1 天到期");
}

#[test]
fn chinese_notification_reads_naturally() {
    let (title, body) = notification(
        Locale::ZhCn,
        "data_threshold",
        &[("package", "欧洲 10GB".into()), ("percent", 90_u32.into()), ("remaining", "1.0 GB".into())],
    )
    .expect("renders");
    assert_eq!(title, "流量已使用 90%");
    assert_eq!(body, "您的 欧洲 10GB 流量已使用 90%，剩余 1.0 GB。如需更多流量，可随时充值。");
}

#[test]
fn unshipped_language_falls_back_to_english() {
    assert!(!languages().contains(&Locale::Fr));
    let args = sample_args();
    for id in english_ids() {
        assert_eq!(render(Locale::Fr, &id, &args), render(Locale::En, &id, &args), "{id}");
    }
    let (title, _) = notification(Locale::Fr, "topup_succeeded", &args).expect("renders");
    assert_eq!(title, "Top-up successful");
}

#[test]
fn shipped_language_lacking_a_message_falls_back_to_english_and_is_reported() {
    let catalogue = Catalogue::from_sources(&[
        (Locale::En, "-brand = keepsim\nhello = Hello { $name }\nbye = Bye from { -brand }\n"),
        (Locale::ZhCn, "hello = 你好，{ $name }\n"),
    ]);
    let args = [("name", Arg::from("Ana"))];
    assert_eq!(catalogue.render(Locale::ZhCn, "hello", &args), Ok("你好，Ana".to_owned()));
    assert_eq!(catalogue.render(Locale::ZhCn, "bye", &[]), Ok("Bye from keepsim".to_owned()));
    assert!(!catalogue.has_message(Locale::ZhCn, "bye"));
    assert_eq!(catalogue.missing_messages(), vec![(Locale::ZhCn, "bye".to_owned())]);
    assert_eq!(catalogue.parse_errors(), &[]);
}

#[test]
fn missing_variable_is_a_format_error_not_a_panic() {
    for locale in [Locale::En, Locale::ZhCn, Locale::Fr] {
        let result = render(locale, "notification-data_threshold-body", &[("package", "Europe".into())]);
        match result {
            Err(RenderError::Format(message)) => {
                assert!(message.contains("notification-data_threshold-body"), "{message}");
            }
            other => panic!("{locale}: expected a format error, got {other:?}"),
        }
        // A missing selector variable too.
        let result = notification(locale, "line_expiring", &[("number", "+1".into()), ("valid_until", "x".into())]);
        assert!(matches!(result, Err(RenderError::Format(_))), "{locale}: {result:?}");
    }
}

#[test]
fn unknown_message_or_kind_is_reported() {
    assert_eq!(
        render(Locale::ZhCn, "no-such-message", &[]),
        Err(RenderError::UnknownMessage("no-such-message".into()))
    );
    assert_eq!(
        notification(Locale::Ja, "nonsense", &[]),
        Err(RenderError::UnknownMessage("notification-nonsense-title".into()))
    );
    assert!(matches!(render(Locale::En, "", &[]), Err(RenderError::UnknownMessage(_))));
    assert!(matches!(render(Locale::En, "-brand", &[]), Err(RenderError::UnknownMessage(_))));
}

#[test]
fn broken_sources_are_reported_and_the_rest_still_renders() {
    let catalogue = Catalogue::from_sources(&[
        (Locale::En, "ok = Fine\nok = Duplicate\n"),
        (Locale::Ko, "good = 좋아요\nbroken = { $oops\nalso-good = 네\n"),
    ]);
    let errors = catalogue.parse_errors();
    assert!(errors.iter().any(|(locale, _)| *locale == Locale::En), "{errors:?}");
    assert!(errors.iter().any(|(locale, e)| *locale == Locale::Ko && e.starts_with("line 2")), "{errors:?}");
    assert_eq!(catalogue.render(Locale::Ko, "good", &[]), Ok("좋아요".to_owned()));
    assert_eq!(catalogue.render(Locale::Ko, "also-good", &[]), Ok("네".to_owned()));
    assert_eq!(catalogue.render(Locale::Ko, "ok", &[]), Ok("Fine".to_owned()));
}

#[test]
fn email_texts_render_with_links_on_their_own_line() {
    let link = "https://keepsim.example/reset?token=abc";
    let (title, body) = notification(Locale::En, "password_reset", &[("link", link.into())]).expect("renders");
    assert_eq!(title, "Reset your password");
    assert!(body.lines().any(|line| line == link), "{body}");
    assert!(render(Locale::En, "email-footer", &[]).expect("renders").contains("keepsim"));
    assert_eq!(render(Locale::ZhCn, "email-greeting", &[]), Ok("您好：".to_owned()));
}

#[test]
fn integer_arguments_convert() {
    assert_eq!(Arg::from(u64::MAX), Arg::Int(i64::MAX));
    assert_eq!(Arg::from(7_u64), Arg::Int(7));
    assert_eq!(Arg::from(u32::MAX), Arg::Int(i64::from(u32::MAX)));
    assert_eq!(Arg::from(-2_i64), Arg::Int(-2));
    assert_eq!(Arg::from("a"), Arg::Str("a".into()));
    assert_eq!(Arg::from(String::from("b")), Arg::Str("b".into()));
}

#[test]
fn catalogue_renders_from_many_threads() {
    let handles: Vec<_> = languages()
        .iter()
        .map(|&locale| {
            std::thread::spawn(move || {
                (0_u32..50)
                    .all(|days| render(locale, "notification-line_expiring-title", &[("days", days.into())]).is_ok())
            })
        })
        .collect();
    for handle in handles {
        assert!(handle.join().expect("thread"));
    }
}
