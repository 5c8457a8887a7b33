//! WeChat Pay notification verification: a genuine notification is read, and
//! every kind of tampering is refused before anything is parsed.
#![allow(clippy::unwrap_used)]

use keepsim_domain::Currency;
use keepsim_payments::keys::{private_key_from_pem, public_key_from_pem, sign_sha256_rsa};
use keepsim_payments::wechat::{NotificationHeaders, WechatConfig, encrypt_resource, verify_notification};
use keepsim_payments::{Method, NoticeKind, Reference, VerifyError};
use rsa::RsaPrivateKey;
use serde_json::{Value, json};

const MERCHANT_KEY: &str = include_str!("../testdata/keys_test_rsa_pkcs8.pem");
const PLATFORM_KEY: &str = include_str!("../testdata/keys_test_rsa2_pkcs8.pem");
const PLATFORM_PUB: &str = include_str!("../testdata/keys_test_rsa2_spki.pub");
const APIV3_KEY: [u8; 32] = *b"keepsimWechatApiV3KeyForTests!!!";
const KEY_ID: &str = "PUB_KEY_ID_0119000000012024052000000001";
const NOW: i64 = 1_716_182_975;

fn config() -> WechatConfig {
    WechatConfig {
        mchid: "1900000001".into(),
        appid: "wxd678efh567hg6787".into(),
        apiv3_key: APIV3_KEY,
        cert_serial: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1".into(),
        private_key: private_key_from_pem(MERCHANT_KEY).unwrap(),
        platform_key_id: KEY_ID.into(),
        platform_public_key: public_key_from_pem(PLATFORM_PUB).unwrap(),
    }
}

fn platform_key() -> RsaPrivateKey {
    private_key_from_pem(PLATFORM_KEY).unwrap()
}

fn transaction(trade_state: &str, total: i64) -> Value {
    json!({
        "mchid": "1900000001",
        "appid": "wxd678efh567hg6787",
        "out_trade_no": "ks20240520000001",
        "transaction_id": "4200002024052012345678901234",
        "trade_type": "NATIVE",
        "trade_state": trade_state,
        "trade_state_desc": "desc",
        "success_time": "2024-05-20T13:29:35+08:00",
        "payer": {"openid": "o1"},
        "amount": {"total": total, "payer_total": total, "currency": "CNY", "payer_currency": "CNY"},
    })
}

fn refund(status: &str) -> Value {
    json!({
        "mchid": "1900000001",
        "out_trade_no": "ks20240520000001",
        "transaction_id": "4200002024052012345678901234",
        "out_refund_no": "rf-1",
        "refund_id": "50000000000000000000000000000001",
        "refund_status": status,
        "amount": {"total": 1250, "refund": 250, "payer_total": 1250, "payer_refund": 250},
    })
}

/// The envelope around an encrypted resource, as WeChat Pay sends it.
fn envelope(event_type: &str, resource: &Value, aad_used: &str, aad_sent: &str) -> Vec<u8> {
    let nonce = "fdasflkja484";
    let ct = encrypt_resource(&APIV3_KEY, nonce, aad_used, &serde_json::to_vec(resource).unwrap()).unwrap();
    serde_json::to_vec(&json!({
        "id": "EV-0001",
        "create_time": "2024-05-20T13:29:35+08:00",
        "resource_type": "encrypt-resource",
        "event_type": event_type,
        "summary": "s",
        "resource": {"original_type": aad_sent, "algorithm": "AEAD_AES_256_GCM", "ciphertext": ct,
                     "associated_data": aad_sent, "nonce": nonce},
    }))
    .unwrap()
}

fn sign(key: &RsaPrivateKey, ts: i64, body: &[u8]) -> NotificationHeaders {
    let nonce = "593BEC0C930BF1AFEB40B4A08C8FB242";
    let mut msg = format!("{ts}\n{nonce}\n").into_bytes();
    msg.extend_from_slice(body);
    msg.push(b'\n');
    NotificationHeaders {
        timestamp: ts.to_string(),
        nonce: nonce.into(),
        signature: sign_sha256_rsa(key, &msg).unwrap(),
        serial: KEY_ID.into(),
    }
}

fn paid_body() -> Vec<u8> {
    envelope("TRANSACTION.SUCCESS", &transaction("SUCCESS", 1250), "transaction", "transaction")
}

fn verify(headers: &NotificationHeaders, body: &[u8]) -> Result<NoticeKind, VerifyError> {
    verify_notification(headers, body, &config(), NOW).map(|n| {
        assert_eq!(n.method, Method::Wechat);
        assert_eq!(n.event_id, "EV-0001");
        n.kind
    })
}

fn reference() -> Reference {
    Reference::OutTradeNo("ks20240520000001".into())
}

#[test]
fn genuine_payment_notification_is_paid_with_its_amount() {
    let body = paid_body();
    let kind = verify(&sign(&platform_key(), NOW, &body), &body).unwrap();
    assert_eq!(
        kind,
        NoticeKind::Paid {
            reference: reference(),
            amount_minor: 1250,
            currency: Currency::CNY,
            provider_ref: "4200002024052012345678901234".into()
        }
    );
}

#[test]
fn amount_changed_after_signing_is_refused() {
    let body = paid_body();
    let headers = sign(&platform_key(), NOW, &body);
    // A resource with another amount (even correctly encrypted) in place of the signed one.
    let forged = envelope("TRANSACTION.SUCCESS", &transaction("SUCCESS", 1), "transaction", "transaction");
    assert_eq!(verify(&headers, &forged), Err(VerifyError::BadSignature));
}

#[test]
fn body_changed_after_signing_is_refused() {
    let body = paid_body();
    let headers = sign(&platform_key(), NOW, &body);
    let text = String::from_utf8(body.clone()).unwrap();
    for changed in [text.replace("EV-0001", "EV-0002"), format!("{text} "), text.replace("\"s\"", "\"t\"")] {
        assert_eq!(verify(&headers, changed.as_bytes()), Err(VerifyError::BadSignature));
    }
    let mut flipped = body.clone();
    let i = flipped.len() / 2;
    flipped[i] ^= 1;
    assert_eq!(verify(&headers, &flipped), Err(VerifyError::BadSignature));
}

#[test]
fn associated_data_mismatch_is_undecryptable_even_when_signed() {
    let body = envelope("TRANSACTION.SUCCESS", &transaction("SUCCESS", 1250), "transaction", "refund");
    assert_eq!(verify(&sign(&platform_key(), NOW, &body), &body), Err(VerifyError::Undecryptable));
}

#[test]
fn wrong_apiv3_key_is_undecryptable() {
    let body = paid_body();
    let headers = sign(&platform_key(), NOW, &body);
    let mut cfg = config();
    cfg.apiv3_key = [0x42; 32];
    assert_eq!(verify_notification(&headers, &body, &cfg, NOW), Err(VerifyError::Undecryptable));
}

#[test]
fn notification_signed_with_another_key_is_refused() {
    let body = paid_body();
    let other = private_key_from_pem(MERCHANT_KEY).unwrap();
    assert_eq!(verify(&sign(&other, NOW, &body), &body), Err(VerifyError::BadSignature));
}

#[test]
fn notification_naming_another_key_is_refused() {
    let body = paid_body();
    let mut headers = sign(&platform_key(), NOW, &body);
    headers.serial = "PUB_KEY_ID_0000000000000000000000000000".into();
    match verify(&headers, &body) {
        Err(VerifyError::Malformed(m)) => assert!(m.contains("Wechatpay-Serial"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn stale_or_future_timestamps_are_refused() {
    let body = paid_body();
    for ts in [NOW - 301, NOW + 301] {
        assert_eq!(verify(&sign(&platform_key(), ts, &body), &body), Err(VerifyError::StaleTimestamp), "{ts}");
    }
    for ts in [NOW - 300, NOW + 300] {
        assert!(verify(&sign(&platform_key(), ts, &body), &body).is_ok(), "{ts}");
    }
}

#[test]
fn notification_for_another_merchant_is_refused() {
    let mut tx = transaction("SUCCESS", 1250);
    tx["mchid"] = json!("1900000002");
    let body = envelope("TRANSACTION.SUCCESS", &tx, "transaction", "transaction");
    assert!(matches!(verify(&sign(&platform_key(), NOW, &body), &body), Err(VerifyError::WrongMerchant(_))));

    let mut tx = transaction("SUCCESS", 1250);
    tx["appid"] = json!("wx0000000000000000");
    let body = envelope("TRANSACTION.SUCCESS", &tx, "transaction", "transaction");
    assert!(matches!(verify(&sign(&platform_key(), NOW, &body), &body), Err(VerifyError::WrongMerchant(_))));

    let mut rf = refund("SUCCESS");
    rf["mchid"] = json!("1900000002");
    let body = envelope("REFUND.SUCCESS", &rf, "refund", "refund");
    assert!(matches!(verify(&sign(&platform_key(), NOW, &body), &body), Err(VerifyError::WrongMerchant(_))));
}

#[test]
fn malformed_headers_are_refused() {
    let body = paid_body();
    let good = sign(&platform_key(), NOW, &body);
    let cases = [
        NotificationHeaders { timestamp: "abc".into(), ..good.clone() },
        NotificationHeaders { timestamp: "-1716182975".into(), ..good.clone() },
        NotificationHeaders { timestamp: "".into(), ..good.clone() },
        NotificationHeaders { timestamp: "99999999999999999999999".into(), ..good.clone() },
        NotificationHeaders { nonce: "".into(), ..good.clone() },
        NotificationHeaders { signature: "not base64 at all!".into(), ..good.clone() },
        NotificationHeaders { signature: "".into(), ..good.clone() },
    ];
    for h in cases {
        assert!(matches!(verify(&h, &body), Err(VerifyError::Malformed(_))), "{h:?}");
    }
    // A well-formed but wrong signature.
    let h = NotificationHeaders { signature: "AAAA".into(), ..good };
    assert_eq!(verify(&h, &body), Err(VerifyError::BadSignature));
}

#[test]
fn missing_headers_are_malformed() {
    let mut map = axum::http::HeaderMap::new();
    map.insert("wechatpay-timestamp", "1".parse().unwrap());
    map.insert("Wechatpay-Nonce", "n".parse().unwrap());
    map.insert("WECHATPAY-SIGNATURE", "s".parse().unwrap());
    assert!(
        matches!(NotificationHeaders::from_header_map(&map), Err(VerifyError::Malformed(m)) if m.contains("Wechatpay-Serial"))
    );
    map.insert("wechatpay-serial", "k".parse().unwrap());
    let h = NotificationHeaders::from_header_map(&map).unwrap();
    assert_eq!((h.timestamp.as_str(), h.nonce.as_str(), h.signature.as_str(), h.serial.as_str()), ("1", "n", "s", "k"));
}

#[test]
fn signed_garbage_is_malformed() {
    for body in [&b"\xff\xfe not utf-8"[..], b"{not json", b"{}", b"[]", b""] {
        assert!(matches!(verify(&sign(&platform_key(), NOW, body), body), Err(VerifyError::Malformed(_))), "{body:?}");
    }
    // Another algorithm.
    let text = String::from_utf8(paid_body()).unwrap().replace("AEAD_AES_256_GCM", "AEAD_SM4_GCM");
    assert!(matches!(
        verify(&sign(&platform_key(), NOW, text.as_bytes()), text.as_bytes()),
        Err(VerifyError::Malformed(_))
    ));
    // A decryptable resource that is not a transaction.
    let body = envelope("TRANSACTION.SUCCESS", &json!({"hello": 1}), "transaction", "transaction");
    assert!(matches!(verify(&sign(&platform_key(), NOW, &body), &body), Err(VerifyError::Malformed(_))));
    // A negative amount.
    let body = envelope("TRANSACTION.SUCCESS", &transaction("SUCCESS", -5), "transaction", "transaction");
    assert!(matches!(verify(&sign(&platform_key(), NOW, &body), &body), Err(VerifyError::Malformed(_))));
}

#[test]
fn unpaid_and_failed_states_credit_nothing() {
    for state in ["NOTPAY", "USERPAYING"] {
        let body = envelope("TRANSACTION.SUCCESS", &transaction(state, 1250), "transaction", "transaction");
        assert_eq!(
            verify(&sign(&platform_key(), NOW, &body), &body).unwrap(),
            NoticeKind::NotPaid { reference: reference(), state: state.into() }
        );
    }
    for state in ["CLOSED", "PAYERROR", "REVOKED"] {
        let body = envelope("TRANSACTION.SUCCESS", &transaction(state, 1250), "transaction", "transaction");
        assert!(matches!(verify(&sign(&platform_key(), NOW, &body), &body).unwrap(), NoticeKind::PaymentFailed { .. }));
    }
}

#[test]
fn refund_notifications_are_read() {
    let body = envelope("REFUND.SUCCESS", &refund("SUCCESS"), "refund", "refund");
    assert_eq!(
        verify(&sign(&platform_key(), NOW, &body), &body).unwrap(),
        NoticeKind::Refunded {
            reference: reference(),
            refunded_minor: 250,
            currency: Currency::CNY,
            refund_ref: Some("rf-1".into())
        }
    );
    for (event, status) in [("REFUND.ABNORMAL", "ABNORMAL"), ("REFUND.CLOSED", "CLOSED")] {
        let body = envelope(event, &refund(status), "refund", "refund");
        assert_eq!(
            verify(&sign(&platform_key(), NOW, &body), &body).unwrap(),
            NoticeKind::RefundFailed { reference: reference(), refund_ref: Some("rf-1".into()) }
        );
    }
}

#[test]
fn other_event_types_are_ignored() {
    let body = envelope("TRANSACTION.CLOSED", &transaction("CLOSED", 1250), "transaction", "transaction");
    assert_eq!(
        verify(&sign(&platform_key(), NOW, &body), &body).unwrap(),
        NoticeKind::Ignored { event_type: "TRANSACTION.CLOSED".into() }
    );
}

#[test]
fn config_debug_hides_the_keys() {
    let cfg = config();
    let shown = format!("{cfg:?}");
    assert!(shown.contains("1900000001"));
    assert!(!shown.contains("keepsimWechatApiV3KeyForTests"));
    assert!(!shown.contains("107, 101, 101")); // the key's bytes
    assert!(shown.contains("<redacted>"));
    assert!(!shown.to_lowercase().contains("prime"));
}
