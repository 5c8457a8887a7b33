//! Standard Webhooks signatures against known answers and the verifier's
//! refusals.
//!
//! The expected signatures come from the convention's official Python
//! library (`pip install standardwebhooks`, version 1.1.0):
//!
//! ```python
//! from standardwebhooks.webhooks import Webhook
//! import datetime, base64
//! ts = lambda s: datetime.datetime.fromtimestamp(s, tz=datetime.timezone.utc)
//! Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").sign(
//!     "msg_p5jXN8AQM9LWM0D4loKWxJek", ts(1614265330), '{"test": 2432232314}')
//! Webhook("whsec_" + base64.b64encode(bytes(range(32))).decode()).sign(
//!     "msg_keepsim_1", ts(1700000000),
//!     '{"type":"usage.threshold","data":{"percent":75,"note":"流量"}}')
//! ```
//!
//! (The first is the specification's own example. Some copies of it print
//! `…/tMIKtSy…`; the library and a plain HMAC both give `…/tmIKtSy…`.)

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use keepsim_channels::{
    ChannelError,
    webhook::{self, DEFAULT_TOLERANCE, WebhookSecret},
};

const SPEC_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SPEC_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const SPEC_TIMESTAMP: i64 = 1614265330;
const SPEC_BODY: &[u8] = br#"{"test": 2432232314}"#;
const SPEC_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

const OWN_SECRET: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const OWN_ID: &str = "msg_keepsim_1";
const OWN_TIMESTAMP: i64 = 1700000000;
const OWN_BODY: &str = r#"{"type":"usage.threshold","data":{"percent":75,"note":"流量"}}"#;
const OWN_SIGNATURE: &str = "v1,0D/Egj7vp7kxyKIMsiHZxWVs/cwcGKfrMIZ1Jo6miZI=";

fn spec_secret() -> WebhookSecret {
    WebhookSecret::parse(SPEC_SECRET).unwrap()
}

fn check(
    secret: &WebhookSecret,
    id: &str,
    timestamp: &str,
    signatures: &str,
    body: &[u8],
    now: i64,
) -> Result<(), ChannelError> {
    webhook::verify(secret, id, timestamp, signatures, body, now, DEFAULT_TOLERANCE)
}

#[test]
fn signs_the_specification_example() {
    assert_eq!(webhook::sign(&spec_secret(), SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY), SPEC_SIGNATURE);
}

#[test]
fn signs_a_utf8_body_with_a_32_byte_key() {
    let secret = WebhookSecret::parse(OWN_SECRET).unwrap();
    assert_eq!(secret.to_whsec(), OWN_SECRET);
    assert_eq!(webhook::sign(&secret, OWN_ID, OWN_TIMESTAMP, OWN_BODY.as_bytes()), OWN_SIGNATURE);
}

#[test]
fn the_whole_whsec_string_is_not_the_key() {
    // The card provider's (Stripe) scheme keys HMAC with the whole string;
    // Standard Webhooks decodes it. Make sure we do the latter.
    use base64::Engine;
    use hmac::Mac;
    let mut stripe_style = hmac::Hmac::<sha2::Sha256>::new_from_slice(SPEC_SECRET.as_bytes()).unwrap();
    stripe_style.update(format!("{SPEC_ID}.{SPEC_TIMESTAMP}.").as_bytes());
    stripe_style.update(SPEC_BODY);
    let wrong =
        format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(stripe_style.finalize().into_bytes()));
    assert_ne!(wrong, SPEC_SIGNATURE);
    assert!(check(&spec_secret(), SPEC_ID, "1614265330", &wrong, SPEC_BODY, SPEC_TIMESTAMP).is_err());
}

#[test]
fn verifies_the_known_answers_and_round_trips() {
    let secret = spec_secret();
    check(&secret, SPEC_ID, "1614265330", SPEC_SIGNATURE, SPEC_BODY, SPEC_TIMESTAMP).unwrap();
    let own = WebhookSecret::parse(OWN_SECRET).unwrap();
    check(&own, OWN_ID, "1700000000", OWN_SIGNATURE, OWN_BODY.as_bytes(), OWN_TIMESTAMP + 10).unwrap();

    let fresh = WebhookSecret::generate();
    let body = br#"{"type":"order.fulfilled","data":{"order_id":"ord_1"}}"#;
    let signature = webhook::sign(&fresh, "msg_1", 1_800_000_000, body);
    check(&fresh, "msg_1", "1800000000", &signature, body, 1_800_000_000).unwrap();
    // Through the whsec_ text form, as a partner would hold it.
    let partner = WebhookSecret::parse(&fresh.to_whsec()).unwrap();
    check(&partner, "msg_1", "1800000000", &signature, body, 1_800_000_000).unwrap();
}

#[test]
fn tampering_fails() {
    let secret = spec_secret();
    let now = SPEC_TIMESTAMP;
    let refused = |r: Result<(), ChannelError>| matches!(r, Err(ChannelError::Signature(_)));
    // Body.
    assert!(refused(check(&secret, SPEC_ID, "1614265330", SPEC_SIGNATURE, br#"{"test": 2432232315}"#, now)));
    // Timestamp.
    assert!(refused(check(&secret, SPEC_ID, "1614265331", SPEC_SIGNATURE, SPEC_BODY, now)));
    // Id.
    assert!(refused(check(&secret, "msg_other", "1614265330", SPEC_SIGNATURE, SPEC_BODY, now)));
    // Secret.
    let other = WebhookSecret::parse(OWN_SECRET).unwrap();
    assert!(refused(check(&other, SPEC_ID, "1614265330", SPEC_SIGNATURE, SPEC_BODY, now)));
    // Signature bytes.
    let flipped = SPEC_SIGNATURE.replace("g0hM", "g0hN");
    assert!(refused(check(&secret, SPEC_ID, "1614265330", &flipped, SPEC_BODY, now)));
    // A truncated signature, garbage, the wrong version, nothing.
    assert!(refused(check(&secret, SPEC_ID, "1614265330", &SPEC_SIGNATURE[..20], SPEC_BODY, now)));
    assert!(refused(check(&secret, SPEC_ID, "1614265330", "v1,***", SPEC_BODY, now)));
    assert!(refused(check(&secret, SPEC_ID, "1614265330", &SPEC_SIGNATURE.replace("v1,", "v2,"), SPEC_BODY, now)));
    assert!(refused(check(&secret, SPEC_ID, "1614265330", "", SPEC_BODY, now)));
    // Malformed headers.
    assert!(refused(check(&secret, "", "1614265330", SPEC_SIGNATURE, SPEC_BODY, now)));
    assert!(refused(check(&secret, SPEC_ID, "yesterday", SPEC_SIGNATURE, SPEC_BODY, now)));
}

#[test]
fn any_matching_v1_entry_in_the_list_is_enough() {
    let secret = spec_secret();
    let rotated = format!("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1a,xyz {SPEC_SIGNATURE}");
    check(&secret, SPEC_ID, "1614265330", &rotated, SPEC_BODY, SPEC_TIMESTAMP).unwrap();
}

#[test]
fn stale_and_future_timestamps_fail() {
    let secret = spec_secret();
    let at = |now: i64| check(&secret, SPEC_ID, "1614265330", SPEC_SIGNATURE, SPEC_BODY, now);
    at(SPEC_TIMESTAMP + 300).unwrap();
    at(SPEC_TIMESTAMP - 300).unwrap();
    assert!(matches!(at(SPEC_TIMESTAMP + 301), Err(ChannelError::Signature(m)) if m.contains("too old")));
    assert!(matches!(at(SPEC_TIMESTAMP - 301), Err(ChannelError::Signature(m)) if m.contains("future")));
    assert!(at(SPEC_TIMESTAMP + 86_400).is_err());
    // A tighter tolerance.
    let tight = webhook::verify(
        &secret,
        SPEC_ID,
        "1614265330",
        SPEC_SIGNATURE,
        SPEC_BODY,
        SPEC_TIMESTAMP + 10,
        Duration::from_secs(5),
    );
    assert!(tight.is_err());
}

#[test]
fn secrets_in_other_forms_are_refused_clearly() {
    for bad in [
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "whsec_***",
        "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "sk_live_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "",
    ] {
        match WebhookSecret::parse(bad) {
            Err(ChannelError::Config(message)) => assert!(message.contains("whsec_"), "{message}"),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
}
