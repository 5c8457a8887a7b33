//! Known-answer tests for the WeChat Pay API v3 primitives. The expected values
//! were computed independently of this crate (Python `cryptography` for
//! AES-256-GCM, `openssl dgst -sha256 -sign` for SHA256withRSA) by
//! `testdata/wechat_kat_generate.py`, and are hard-coded here.
#![allow(clippy::unwrap_used)]

use keepsim_domain::Currency;
use keepsim_payments::keys::{private_key_from_pem, public_key_from_pem};
use keepsim_payments::wechat::{
    NotificationHeaders, WechatConfig, authorization, decrypt_resource, encrypt_resource, parse_authorization,
    request_signature_message, verify_notification, verify_signature,
};
use keepsim_payments::{Method, NoticeKind, Reference, VerifyError};

const MERCHANT_KEY: &str = include_str!("../testdata/keys_test_rsa_pkcs8.pem");
const MERCHANT_PUB: &str = include_str!("../testdata/keys_test_rsa_spki.pub");
const PLATFORM_KEY: &str = include_str!("../testdata/keys_test_rsa2_pkcs8.pem");
const PLATFORM_PUB: &str = include_str!("../testdata/keys_test_rsa2_spki.pub");
const APIV3_KEY: &[u8; 32] = b"keepsimWechatApiV3KeyForTests!!!";

const GCM_NONCE: &str = "46fd0ef9bc74";
const GCM_AAD: &str = "transaction";
const GCM_PLAINTEXT: &[u8] =
    br#"{"mchid":"1900000001","out_trade_no":"ks20240520000001","amount":{"total":1250,"currency":"CNY"}}"#;
const GCM_CIPHERTEXT: &str = "eXAmKH6eR3QbxcnT9Dse7QCESyZnpWcSj/STbaTcYseb7pJD4E+eI60yho+Bwt9+v0rIJ7vs1qhHnFDgCU0MTajyDGq+1hv8+MTGor52kRPBHZkio3rdn7sI/HCIKIODqrs0oClxuVPOuN9DU2jmD0U=";

const REQUEST_URL: &str = "/v3/pay/transactions/out-trade-no/ks20240520000001?mchid=1900000001";
const REQUEST_TS: i64 = 1_716_182_975;
const REQUEST_NONCE: &str = "5K8264ILTKCH16CQ2502SI8ZNMTM67VS";
const REQUEST_SIGNATURE: &str = "PCr5UK5vlBoj0m7aQ2UAqqIXl87zi9LBrT8PHA0teXS5asp91eFAzCNZOdWR8A++Qz7770VPor45+GJn08stZ0cps2s7wBgteWyi8O0ljL3GP2bgWc13vYq9Tn+yFrCnXvKBW77Eodj54hRjMvrO/2c9TjG7mbuJEjvRks67oGuA1zZdFHdRwjfz2tFfFDA2neUSDZQFqAVOzdOB3/OwZ1DGLNYuSKXno0VON6IoO7cafhQSZxl58i6B4QzFhcZmo82nlcKlRGpm+ubaUPnqP3Ml8mp5vWp20XcSW+Fu69MwTqYJ6xqzzBRWfubTH8eBpWfxzEO0rf7pQVlWqz/BBg==";

const NOTIFICATION_BODY: &[u8] = include_bytes!("../testdata/wechat_kat_notification.json");
const NOTIFICATION_TS: &str = "1716182975";
const NOTIFICATION_NONCE: &str = "593BEC0C930BF1AFEB40B4A08C8FB242";
const NOTIFICATION_SIGNATURE: &str = "Sb44bZGnkPkIwik0dLnZHF0x7dx66u7NC6y7II+myNrP3hnOjuRF+6l0YS9zolZKOqRxLj0jBaOZcHldQG+fr3UfzqdJ6r8NY+8KfrKEBV0w4tfp6w0Cin7wkDHkTzcmntSkADDw4+OpuuWmEss/5nB6vdjw7N1ajniX0Ny/w65aArUVIjVmP89/if8h3vHldLFsg4n7E5a8xF25hO0tm+qUuspIwQlW2mSoXQfE4ZX9T0VuQEGFoxuuoBehZBlZ03/unSmxhBPXgBRmoWgHZ1//NUjBr2jQWcYMen+lA6bhOtXOpTHZVDWjBzYfgkkuud65xoNrd8Fv03HVHD484A==";

fn config() -> WechatConfig {
    WechatConfig {
        mchid: "1900000001".into(),
        appid: "wxd678efh567hg6787".into(),
        apiv3_key: *APIV3_KEY,
        cert_serial: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1".into(),
        private_key: private_key_from_pem(MERCHANT_KEY).unwrap(),
        platform_key_id: "PUB_KEY_ID_0119000000012024052000000001".into(),
        platform_public_key: public_key_from_pem(PLATFORM_PUB).unwrap(),
    }
}

#[test]
fn aes_256_gcm_decrypts_the_independently_computed_ciphertext() {
    let plain = decrypt_resource(APIV3_KEY, GCM_NONCE, GCM_AAD, GCM_CIPHERTEXT).unwrap();
    assert_eq!(plain, GCM_PLAINTEXT);
}

#[test]
fn aes_256_gcm_encrypts_to_the_independently_computed_ciphertext() {
    assert_eq!(encrypt_resource(APIV3_KEY, GCM_NONCE, GCM_AAD, GCM_PLAINTEXT).unwrap(), GCM_CIPHERTEXT);
}

#[test]
fn aes_256_gcm_refuses_other_associated_data_or_key() {
    assert_eq!(decrypt_resource(APIV3_KEY, GCM_NONCE, "refund", GCM_CIPHERTEXT), Err(VerifyError::Undecryptable));
    let other_key = [0x41u8; 32];
    assert_eq!(decrypt_resource(&other_key, GCM_NONCE, GCM_AAD, GCM_CIPHERTEXT), Err(VerifyError::Undecryptable));
    assert_eq!(decrypt_resource(APIV3_KEY, "46fd0ef9bc75", GCM_AAD, GCM_CIPHERTEXT), Err(VerifyError::Undecryptable));
}

#[test]
fn request_signature_message_is_five_lines() {
    assert_eq!(
        request_signature_message("GET", REQUEST_URL, REQUEST_TS, REQUEST_NONCE, ""),
        "GET\n/v3/pay/transactions/out-trade-no/ks20240520000001?mchid=1900000001\n1716182975\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\n\n"
    );
    assert_eq!(
        request_signature_message("POST", "/v3/pay/transactions/native", 1, "n", "{\"a\":1}"),
        "POST\n/v3/pay/transactions/native\n1\nn\n{\"a\":1}\n"
    );
}

#[test]
fn request_signature_matches_openssl() {
    let key = private_key_from_pem(MERCHANT_KEY).unwrap();
    let header =
        authorization("1900000001", "SERIAL", &key, "GET", REQUEST_URL, "", REQUEST_TS, REQUEST_NONCE).unwrap();
    assert_eq!(
        header,
        format!(
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1900000001\",nonce_str=\"{REQUEST_NONCE}\",signature=\"{REQUEST_SIGNATURE}\",timestamp=\"1716182975\",serial_no=\"SERIAL\""
        )
    );
    let parsed = parse_authorization(&header).unwrap();
    assert_eq!(parsed.signature, REQUEST_SIGNATURE);
    assert_eq!(parsed.timestamp, "1716182975");
}

#[test]
fn openssl_signature_verifies_with_the_public_key() {
    let public = public_key_from_pem(MERCHANT_PUB).unwrap();
    let message = request_signature_message("GET", REQUEST_URL, REQUEST_TS, REQUEST_NONCE, "");
    assert!(keepsim_payments::keys::verify_sha256_rsa(&public, message.as_bytes(), REQUEST_SIGNATURE));
}

#[test]
fn independently_built_notification_verifies_as_paid() {
    let headers = NotificationHeaders {
        timestamp: NOTIFICATION_TS.into(),
        nonce: NOTIFICATION_NONCE.into(),
        signature: NOTIFICATION_SIGNATURE.into(),
        serial: "PUB_KEY_ID_0119000000012024052000000001".into(),
    };
    let notice = verify_notification(&headers, NOTIFICATION_BODY, &config(), 1_716_183_000).unwrap();
    assert_eq!(notice.method, Method::Wechat);
    assert_eq!(notice.event_id, "EV-2024052013293500001");
    assert_eq!(
        notice.kind,
        NoticeKind::Paid {
            reference: Reference::OutTradeNo("ks20240520000001".into()),
            amount_minor: 1250,
            currency: Currency::CNY,
            provider_ref: "4200002024052012345678901234".into(),
        }
    );
}

#[test]
fn independently_signed_notification_signature_verifies() {
    let public = public_key_from_pem(PLATFORM_PUB).unwrap();
    let at = 1_716_182_975;
    verify_signature(NOTIFICATION_TS, NOTIFICATION_NONCE, NOTIFICATION_BODY, NOTIFICATION_SIGNATURE, &public, at, 300)
        .unwrap();
    // The same signature does not verify with the other key.
    let merchant = public_key_from_pem(MERCHANT_PUB).unwrap();
    assert_eq!(
        verify_signature(
            NOTIFICATION_TS,
            NOTIFICATION_NONCE,
            NOTIFICATION_BODY,
            NOTIFICATION_SIGNATURE,
            &merchant,
            at,
            300
        ),
        Err(VerifyError::BadSignature)
    );
    // PLATFORM_KEY is the key that produced it.
    let platform = private_key_from_pem(PLATFORM_KEY).unwrap();
    assert_eq!(rsa::RsaPublicKey::from(&platform), public);
}
