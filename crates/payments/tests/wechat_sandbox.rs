//! The WeChat Pay client against the WeChat Pay sandbox over real HTTP: the
//! sandbox checks the client's signatures as WeChat Pay does, the client
//! verifies the sandbox's signed answers, and the sandbox's notifications pass
//! the same verification as live ones.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use keepsim_domain::{Currency, Money};
use keepsim_payments::keys::{private_key_from_pem, public_key_from_pem};
use keepsim_payments::sandbox::Delivery;
use keepsim_payments::sandbox::wechat::{WechatSandbox, router};
use keepsim_payments::wechat::{NotificationHeaders, WechatClient, WechatConfig, verify_notification};
use keepsim_payments::{
    CreatePayment, Gateway, Method, NoticeKind, PaymentStatus, ProviderError, Reference, RefundRequest, RefundStatus,
};

const MERCHANT_KEY: &str = include_str!("../testdata/keys_test_rsa_pkcs8.pem");
const MERCHANT_PUB: &str = include_str!("../testdata/keys_test_rsa_spki.pub");
const PLATFORM_KEY: &str = include_str!("../testdata/keys_test_rsa2_pkcs8.pem");
const PLATFORM_PUB: &str = include_str!("../testdata/keys_test_rsa2_spki.pub");
const APIV3_KEY: [u8; 32] = *b"keepsimWechatApiV3KeyForTests!!!";
const MCHID: &str = "1900000001";
const APPID: &str = "wxd678efh567hg6787";
const KEY_ID: &str = "PUB_KEY_ID_0119000000012024052000000001";
const SERIAL: &str = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn config() -> WechatConfig {
    WechatConfig {
        mchid: MCHID.into(),
        appid: APPID.into(),
        apiv3_key: APIV3_KEY,
        cert_serial: SERIAL.into(),
        private_key: private_key_from_pem(MERCHANT_KEY).unwrap(),
        platform_key_id: KEY_ID.into(),
        platform_public_key: public_key_from_pem(PLATFORM_PUB).unwrap(),
    }
}

/// Starts the sandbox on a free port, optionally under a base path, and returns it with its API base.
async fn spawn_sandbox(base_path: &str) -> (Arc<WechatSandbox>, String) {
    let sandbox = Arc::new(WechatSandbox::new(
        MCHID,
        APPID,
        APIV3_KEY,
        private_key_from_pem(PLATFORM_KEY).unwrap(),
        KEY_ID,
        public_key_from_pem(MERCHANT_PUB).unwrap(),
        SERIAL,
    ));
    let app = if base_path.is_empty() {
        router(sandbox.clone())
    } else {
        axum::Router::new().nest(base_path, router(sandbox.clone()))
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (sandbox, format!("http://{addr}{base_path}"))
}

fn client(api_base: &str, cfg: WechatConfig) -> WechatClient {
    WechatClient::new(api_base, Arc::new(cfg), reqwest::Client::new())
}

fn payment(out_trade_no: &str, fen: i64) -> CreatePayment {
    CreatePayment {
        order_id: "order-1".into(),
        out_trade_no: out_trade_no.into(),
        amount: Money::new(fen, Currency::CNY),
        description: "keepsim 欧洲 7 天 5GB".into(),
        notify_url: "https://keepsim.example/webhooks/wechatpay".into(),
        idempotency_key: "idem-1".into(),
    }
}

fn headers_of(d: &Delivery) -> NotificationHeaders {
    NotificationHeaders::from_lookup(|name| {
        d.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    })
    .unwrap()
}

#[tokio::test]
async fn create_pay_notify_query_refund() {
    let (sandbox, base) = spawn_sandbox("").await;
    let wx = client(&base, config());
    assert_eq!(wx.method(), Method::Wechat);

    let created = wx.create(&payment("ks20240520000001", 1250)).await.unwrap();
    assert_eq!(created.provider_ref, "ks20240520000001");
    assert!(created.pay_url.as_deref().unwrap().starts_with("weixin://wxpay/bizpayurl?pr="));
    assert!(sandbox.find("ks20240520000001"));
    // Creating it again with the same parameters gives the same code_url.
    assert_eq!(wx.create(&payment("ks20240520000001", 1250)).await.unwrap(), created);
    assert_eq!(wx.query(&created.provider_ref, "ks20240520000001").await.unwrap(), PaymentStatus::Pending);

    let delivery = sandbox.pay("ks20240520000001", now()).unwrap();
    assert_eq!(delivery.url, "https://keepsim.example/webhooks/wechatpay");
    assert_eq!(delivery.content_type, "application/json");
    let notice = verify_notification(&headers_of(&delivery), &delivery.body, &config(), now()).unwrap();
    let NoticeKind::Paid { reference, amount_minor, currency, provider_ref } = notice.kind else {
        panic!("{notice:?}")
    };
    assert_eq!(reference, Reference::OutTradeNo("ks20240520000001".into()));
    assert_eq!((amount_minor, currency), (1250, Currency::CNY));
    assert!(provider_ref.starts_with("4200"));
    // The envelope is WeChat Pay's.
    let envelope: serde_json::Value = serde_json::from_slice(&delivery.body).unwrap();
    assert_eq!(envelope["event_type"], "TRANSACTION.SUCCESS");
    assert_eq!(envelope["resource"]["associated_data"], "transaction");
    assert_eq!(envelope["resource"]["nonce"].as_str().unwrap().len(), 12);
    // Paying again is WeChat Pay retrying the same notification.
    let again = sandbox.pay("ks20240520000001", now()).unwrap();
    let again = verify_notification(&headers_of(&again), &again.body, &config(), now()).unwrap();
    assert_eq!(again.event_id, notice.event_id);

    assert_eq!(
        wx.query("ks20240520000001", "ks20240520000001").await.unwrap(),
        PaymentStatus::Paid { amount_minor: 1250, provider_ref: provider_ref.clone() }
    );
    // A paid trade cannot be closed.
    assert!(matches!(
        wx.close("ks20240520000001", "ks20240520000001").await,
        Err(ProviderError::Refused { code, .. }) if code == "ORDERPAID"
    ));

    let refund = RefundRequest {
        provider_ref: "ks20240520000001".into(),
        out_trade_no: "ks20240520000001".into(),
        refund_no: "rf-ks20240520000001-1".into(),
        amount: Money::new(250, Currency::CNY),
        total: Money::new(1250, Currency::CNY),
        notify_url: "https://keepsim.example/webhooks/wechatpay".into(),
    };
    assert_eq!(wx.refund(&refund).await.unwrap(), RefundStatus::Pending);
    // The same refund asked twice is the same refund.
    assert_eq!(wx.refund(&refund).await.unwrap(), RefundStatus::Pending);
    // More than the trade's remainder is refused.
    let too_much =
        RefundRequest { refund_no: "rf-2".into(), amount: Money::new(1001, Currency::CNY), ..refund.clone() };
    assert!(matches!(wx.refund(&too_much).await, Err(ProviderError::Refused { .. })));

    let d = sandbox.refund_delivery("rf-ks20240520000001-1", true, now()).unwrap();
    let envelope: serde_json::Value = serde_json::from_slice(&d.body).unwrap();
    assert_eq!(envelope["event_type"], "REFUND.SUCCESS");
    assert_eq!(envelope["resource"]["associated_data"], "refund");
    let notice = verify_notification(&headers_of(&d), &d.body, &config(), now()).unwrap();
    assert_eq!(
        notice.kind,
        NoticeKind::Refunded {
            reference: Reference::OutTradeNo("ks20240520000001".into()),
            refunded_minor: 250,
            currency: Currency::CNY,
            refund_ref: Some("rf-ks20240520000001-1".into()),
        }
    );
    assert_eq!(wx.refund(&refund).await.unwrap(), RefundStatus::Succeeded);
    assert!(matches!(wx.query("ks20240520000001", "ks20240520000001").await.unwrap(), PaymentStatus::Refunded { .. }));
}

#[tokio::test]
async fn abnormal_refund_notification_is_refund_failed() {
    let (sandbox, base) = spawn_sandbox("").await;
    let wx = client(&base, config());
    wx.create(&payment("ks-abnormal-1", 500)).await.unwrap();
    sandbox.pay("ks-abnormal-1", now()).unwrap();
    let refund = RefundRequest {
        provider_ref: "ks-abnormal-1".into(),
        out_trade_no: "ks-abnormal-1".into(),
        refund_no: "rf-abnormal-1".into(),
        amount: Money::new(500, Currency::CNY),
        total: Money::new(500, Currency::CNY),
        notify_url: String::new(),
    };
    assert_eq!(wx.refund(&refund).await.unwrap(), RefundStatus::Pending);
    let d = sandbox.refund_delivery("rf-abnormal-1", false, now()).unwrap();
    assert_eq!(d.url, "https://keepsim.example/webhooks/wechatpay");
    let notice = verify_notification(&headers_of(&d), &d.body, &config(), now()).unwrap();
    assert_eq!(
        notice.kind,
        NoticeKind::RefundFailed {
            reference: Reference::OutTradeNo("ks-abnormal-1".into()),
            refund_ref: Some("rf-abnormal-1".into())
        }
    );
    assert!(sandbox.refund_delivery("rf-abnormal-1", true, now()).is_err());
    assert_eq!(wx.refund(&refund).await.unwrap(), RefundStatus::Failed("ABNORMAL".into()));
}

#[tokio::test]
async fn unknown_trade_is_pending() {
    let (sandbox, base) = spawn_sandbox("").await;
    let wx = client(&base, config());
    assert_eq!(wx.query("ks-nobody-000", "ks-nobody-000").await.unwrap(), PaymentStatus::Pending);
    assert!(!sandbox.find("ks-nobody-000"));
    assert!(sandbox.pay("ks-nobody-000", now()).is_err());
    // Closing a trade WeChat Pay does not know is done: it can never be paid.
    wx.close("ks-nobody-000", "ks-nobody-000").await.unwrap();
}

#[tokio::test]
async fn closed_trade_is_closed_and_cannot_be_paid() {
    let (sandbox, base) = spawn_sandbox("").await;
    let wx = client(&base, config());
    wx.create(&payment("ks-close-0001", 990)).await.unwrap();
    wx.close("ks-close-0001", "ks-close-0001").await.unwrap();
    assert_eq!(wx.query("ks-close-0001", "ks-close-0001").await.unwrap(), PaymentStatus::Closed);
    assert_eq!(sandbox.trade_state("ks-close-0001"), Some("CLOSED"));
    assert!(sandbox.pay("ks-close-0001", now()).is_err());
    // Closing twice is fine.
    wx.close("ks-close-0001", "ks-close-0001").await.unwrap();
}

#[tokio::test]
async fn client_signing_with_the_wrong_key_is_refused() {
    let (sandbox, base) = spawn_sandbox("").await;
    let mut cfg = config();
    cfg.private_key = private_key_from_pem(PLATFORM_KEY).unwrap();
    let wx = client(&base, cfg);
    for result in [
        wx.create(&payment("ks-wrongkey-1", 100)).await.map(|_| ()),
        wx.query("ks-wrongkey-1", "ks-wrongkey-1").await.map(|_| ()),
    ] {
        match result {
            Err(ProviderError::Refused { code, .. }) => assert_eq!(code, "SIGN_ERROR"),
            other => panic!("{other:?}"),
        }
    }
    assert!(!sandbox.find("ks-wrongkey-1"));

    // The wrong certificate serial is refused too.
    let mut cfg = config();
    cfg.cert_serial = "0000".into();
    let wx = client(&base, cfg);
    assert!(matches!(
        wx.create(&payment("ks-wrongkey-1", 100)).await,
        Err(ProviderError::Refused { code, .. }) if code == "SIGN_ERROR"
    ));
}

#[tokio::test]
async fn answers_signed_by_an_unknown_key_are_refused() {
    let (_sandbox, base) = spawn_sandbox("").await;
    // The client trusts another WeChat Pay key than the one the sandbox signs with.
    let mut cfg = config();
    cfg.platform_public_key = public_key_from_pem(MERCHANT_PUB).unwrap();
    let wx = client(&base, cfg);
    assert!(matches!(wx.create(&payment("ks-badanswer-1", 100)).await, Err(ProviderError::BadResponse(_))));
    let mut cfg = config();
    cfg.platform_key_id = "PUB_KEY_ID_OTHER".into();
    let wx = client(&base, cfg);
    assert!(matches!(wx.create(&payment("ks-badanswer-2", 100)).await, Err(ProviderError::BadResponse(_))));
}

#[tokio::test]
async fn bad_requests_are_refused_like_wechat_pay() {
    let (_sandbox, base) = spawn_sandbox("").await;
    let wx = client(&base, config());
    for p in [payment("short", 100), payment("ks-zero-amount", 0)] {
        assert!(matches!(wx.create(&p).await, Err(ProviderError::Refused { code, .. }) if code == "PARAM_ERROR"));
    }
    let usd = CreatePayment { amount: Money::new(100, Currency::USD), ..payment("ks-usd-000001", 100) };
    assert!(matches!(wx.create(&usd).await, Err(ProviderError::Refused { .. })));
    wx.create(&payment("ks-reused-0001", 100)).await.unwrap();
    assert!(matches!(
        wx.create(&payment("ks-reused-0001", 200)).await,
        Err(ProviderError::Refused { code, .. }) if code == "OUT_TRADE_NO_USED"
    ));
    let unpaid_refund = RefundRequest {
        provider_ref: "ks-reused-0001".into(),
        out_trade_no: "ks-reused-0001".into(),
        refund_no: "rf-unpaid".into(),
        amount: Money::new(100, Currency::CNY),
        total: Money::new(100, Currency::CNY),
        notify_url: String::new(),
    };
    assert!(matches!(wx.refund(&unpaid_refund).await, Err(ProviderError::Refused { .. })));
}

#[tokio::test]
async fn nested_under_a_base_path_the_full_path_is_signed() {
    let (sandbox, base) = spawn_sandbox("/sandbox/wechat").await;
    let wx = client(&format!("{base}/"), config());
    wx.create(&payment("ks|nested*01", 300)).await.unwrap();
    assert!(sandbox.find("ks|nested*01"));
    assert_eq!(wx.query("ks|nested*01", "ks|nested*01").await.unwrap(), PaymentStatus::Pending);
    sandbox.pay("ks|nested*01", now()).unwrap();
    assert!(matches!(
        wx.query("ks|nested*01", "ks|nested*01").await.unwrap(),
        PaymentStatus::Paid { amount_minor: 300, .. }
    ));
}

#[tokio::test]
async fn unreachable_api_is_a_transport_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let wx = client(&format!("http://{addr}"), config());
    assert!(matches!(wx.query("ks-anything-1", "ks-anything-1").await, Err(ProviderError::Transport(_))));
}

#[test]
fn sandbox_debug_hides_keys() {
    let sandbox = WechatSandbox::new(
        MCHID,
        APPID,
        APIV3_KEY,
        private_key_from_pem(PLATFORM_KEY).unwrap(),
        KEY_ID,
        public_key_from_pem(MERCHANT_PUB).unwrap(),
        SERIAL,
    );
    let shown = format!("{sandbox:?}");
    assert!(shown.contains(MCHID));
    assert!(!shown.contains("keepsimWechatApiV3KeyForTests"));
    assert!(!shown.to_lowercase().contains("prime"));
}
