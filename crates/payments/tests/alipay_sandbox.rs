//! The Alipay client against the Alipay sandbox over real HTTP: precreate →
//! pay → the notify verifies and parses; query, close, refund, wrong keys.
#![allow(clippy::unwrap_used)]

use keepsim_domain::{Currency, Money};
use keepsim_payments::alipay::{self, AlipayClient};
use keepsim_payments::keys;
use keepsim_payments::sandbox::SandboxError;
use keepsim_payments::sandbox::alipay::{AlipaySandbox, router};
use keepsim_payments::{
    CreatePayment, Gateway, NoticeKind, PaymentStatus, ProviderError, Reference, RefundRequest, RefundStatus,
    VerifyError,
};
use std::sync::Arc;

const APP: &str = "2021000000000001";
const NOTIFY: &str = "http://keepsim.test/webhooks/alipay";
const NOW: i64 = 1_714_566_645;
const MERCHANT: &str = include_str!("../testdata/keys_test_rsa_pkcs8.pem");
const MERCHANT_PUB: &str = include_str!("../testdata/keys_test_rsa_spki.pub");
const PLATFORM: &str = include_str!("../testdata/keys_test_rsa2_pkcs8.pem");
const PLATFORM_PUB: &str = include_str!("../testdata/keys_test_rsa2_spki.pub");

async fn start() -> (Arc<AlipaySandbox>, String) {
    let sandbox = Arc::new(AlipaySandbox::new(
        APP,
        keys::private_key_from_pem(PLATFORM).unwrap(),
        keys::public_key_from_pem(MERCHANT_PUB).unwrap(),
    ));
    let app = axum::Router::new().nest("/sandbox/alipay", router(sandbox.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (sandbox, format!("http://{addr}/sandbox/alipay/gateway.do"))
}

fn client_with(gateway: &str, app: &str, private: &str, alipay_public: &str) -> AlipayClient {
    AlipayClient::with_http(
        gateway,
        app,
        keys::private_key_from_pem(private).unwrap(),
        keys::public_key_from_pem(alipay_public).unwrap(),
        reqwest::Client::builder().no_proxy().build().unwrap(),
    )
}

fn client(gateway: &str) -> AlipayClient {
    client_with(gateway, APP, MERCHANT, PLATFORM_PUB)
}

fn order(no: &str, fen: i64) -> CreatePayment {
    CreatePayment {
        order_id: format!("ord_{no}"),
        out_trade_no: no.into(),
        amount: Money::new(fen, Currency::CNY),
        description: "keepsim 日本 5GB 7天 eSIM".into(),
        notify_url: NOTIFY.into(),
        idempotency_key: format!("create-{no}"),
    }
}

fn verify(d: &keepsim_payments::sandbox::Delivery) -> keepsim_payments::Notice {
    assert_eq!(d.url, NOTIFY);
    assert!(d.content_type.starts_with("application/x-www-form-urlencoded"));
    assert!(d.headers.is_empty());
    alipay::verify_notify(&d.body, APP, &sandbox_public()).unwrap()
}

fn sandbox_public() -> rsa::RsaPublicKey {
    keys::public_key_from_pem(PLATFORM_PUB).unwrap()
}

#[tokio::test]
async fn precreate_pay_query_refund() {
    let (sandbox, gw) = start().await;
    let c = client(&gw);
    // The exported platform key is the one the client verifies with.
    assert_eq!(keys::public_key_from_pem(&sandbox.platform_public_key_pem().unwrap()).unwrap(), sandbox_public());

    let created = c.create(&order("ks_a1", 1250)).await.unwrap();
    assert_eq!(created.provider_ref, "ks_a1");
    assert_eq!(created.client_secret, None);
    let qr = created.pay_url.clone().unwrap();
    assert!(qr.starts_with("https://qr.alipay.com/"), "{qr}");
    assert!(sandbox.find("ks_a1"));
    assert!(!sandbox.find("ks_zz"));
    // Precreating again returns the same QR code; a different amount is refused.
    assert_eq!(c.create(&order("ks_a1", 1250)).await.unwrap(), created);
    assert!(
        matches!(c.create(&order("ks_a1", 1)).await, Err(ProviderError::Refused { code, .. }) if code == "ACQ.CONTEXT_INCONSISTENT")
    );

    // Not scanned yet: Alipay does not know it, which is still pending.
    assert_eq!(c.query("ks_a1", "ks_a1").await.unwrap(), PaymentStatus::Pending);
    sandbox.scan("ks_a1", NOW).unwrap();
    assert_eq!(c.query("ks_a1", "ks_a1").await.unwrap(), PaymentStatus::Pending);

    let d = sandbox.pay("ks_a1", NOW).unwrap();
    let n = verify(&d);
    assert!(!n.event_id.is_empty());
    let NoticeKind::Paid { reference, amount_minor, currency, provider_ref } = n.kind else {
        panic!("not paid: {:?}", n.kind);
    };
    assert_eq!(reference, Reference::OutTradeNo("ks_a1".into()));
    assert_eq!(amount_minor, 1250);
    assert_eq!(currency, Currency::CNY);
    assert_eq!(provider_ref.len(), 28);
    // The notify is bound to our app id and to the platform key.
    assert!(matches!(
        alipay::verify_notify(&d.body, "2021000000000002", &sandbox_public()),
        Err(VerifyError::WrongMerchant(_))
    ));
    let merchant_pub = keys::public_key_from_pem(MERCHANT_PUB).unwrap();
    assert_eq!(alipay::verify_notify(&d.body, APP, &merchant_pub), Err(VerifyError::BadSignature));
    let tampered = String::from_utf8(d.body.clone()).unwrap().replace("total_amount=12.50", "total_amount=1250.00");
    assert_ne!(tampered.as_bytes(), d.body.as_slice());
    assert_eq!(alipay::verify_notify(tampered.as_bytes(), APP, &sandbox_public()), Err(VerifyError::BadSignature));
    assert!(matches!(sandbox.pay("ks_a1", NOW), Err(SandboxError::WrongState(_))));

    assert_eq!(
        c.query("ks_a1", "ks_a1").await.unwrap(),
        PaymentStatus::Paid { amount_minor: 1250, provider_ref: provider_ref.clone() }
    );
    // Paid trades cannot be closed (nor precreated again).
    assert!(
        matches!(c.close("ks_a1", "ks_a1").await, Err(ProviderError::Refused { code, .. }) if code == "ACQ.TRADE_STATUS_ERROR")
    );
    assert!(
        matches!(c.create(&order("ks_a1", 1250)).await, Err(ProviderError::Refused { code, .. }) if code == "ACQ.TRADE_HAS_SUCCESS")
    );

    assert!(sandbox.refund_delivery("ks_a1", NOW).is_err());
    let refund = RefundRequest {
        provider_ref: "ks_a1".into(),
        out_trade_no: "ks_a1".into(),
        refund_no: "rf_1".into(),
        amount: Money::new(250, Currency::CNY),
        total: Money::new(1250, Currency::CNY),
        notify_url: NOTIFY.into(),
    };
    assert_eq!(c.refund(&refund).await.unwrap(), RefundStatus::Succeeded);
    // Replaying the same out_request_no refunds once.
    assert_eq!(c.refund(&refund).await.unwrap(), RefundStatus::Succeeded);
    let n = verify(&sandbox.refund_delivery("ks_a1", NOW + 60).unwrap());
    assert_eq!(
        n.kind,
        NoticeKind::Refunded {
            reference: Reference::OutTradeNo("ks_a1".into()),
            refunded_minor: 250,
            currency: Currency::CNY,
            refund_ref: Some("rf_1".into()),
        }
    );
    // Partly refunded is still paid at Alipay.
    assert_eq!(c.query("ks_a1", "ks_a1").await.unwrap(), PaymentStatus::Paid { amount_minor: 1250, provider_ref });
    // More than what is left fails; the rest closes the trade.
    let too_much =
        RefundRequest { refund_no: "rf_2".into(), amount: Money::new(1001, Currency::CNY), ..refund.clone() };
    assert!(
        matches!(c.refund(&too_much).await.unwrap(), RefundStatus::Failed(m) if m.contains("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"))
    );
    let rest = RefundRequest { refund_no: "rf_3".into(), amount: Money::new(1000, Currency::CNY), ..refund };
    assert_eq!(c.refund(&rest).await.unwrap(), RefundStatus::Succeeded);
    assert_eq!(sandbox.trade_status("ks_a1").as_deref(), Some("TRADE_CLOSED"));
    let n = verify(&sandbox.refund_delivery("ks_a1", NOW + 120).unwrap());
    assert_eq!(
        n.kind,
        NoticeKind::Refunded {
            reference: Reference::OutTradeNo("ks_a1".into()),
            refunded_minor: 1250,
            currency: Currency::CNY,
            refund_ref: Some("rf_3".into()),
        }
    );
    assert_eq!(c.query("ks_a1", "ks_a1").await.unwrap(), PaymentStatus::Closed);
}

#[tokio::test]
async fn close_unpaid() {
    let (sandbox, gw) = start().await;
    let c = client(&gw);
    // Scanned but unpaid: closes for real.
    c.create(&order("ks_b1", 990)).await.unwrap();
    sandbox.scan("ks_b1", NOW).unwrap();
    c.close("ks_b1", "ks_b1").await.unwrap();
    assert_eq!(c.query("ks_b1", "ks_b1").await.unwrap(), PaymentStatus::Closed);
    // Closing again is fine (already closed).
    c.close("ks_b1", "ks_b1").await.unwrap();
    assert!(matches!(sandbox.pay("ks_b1", NOW), Err(SandboxError::WrongState(_))));
    assert!(
        matches!(c.create(&order("ks_b1", 990)).await, Err(ProviderError::Refused { code, .. }) if code == "ACQ.TRADE_HAS_CLOSE")
    );

    // Never scanned: Alipay answers TRADE_NOT_EXIST, which counts as closed, and it can no longer be paid.
    c.create(&order("ks_b2", 990)).await.unwrap();
    c.close("ks_b2", "ks_b2").await.unwrap();
    c.close("ks_b2", "ks_b2").await.unwrap();
    assert!(matches!(sandbox.pay("ks_b2", NOW), Err(SandboxError::WrongState(_))));
    // Never precreated at all.
    c.close("ks_b3", "ks_b3").await.unwrap();
    assert!(matches!(sandbox.pay("ks_b3", NOW), Err(SandboxError::UnknownPayment(_))));
    // Refund of an unpaid trade.
    let refund = RefundRequest {
        provider_ref: "ks_b1".into(),
        out_trade_no: "ks_b1".into(),
        refund_no: "rf_b1".into(),
        amount: Money::new(100, Currency::CNY),
        total: Money::new(990, Currency::CNY),
        notify_url: NOTIFY.into(),
    };
    assert!(matches!(c.refund(&refund).await.unwrap(), RefundStatus::Failed(_)));
}

#[tokio::test]
async fn wrong_keys_and_app_are_refused() {
    let (sandbox, gw) = start().await;
    // Our requests signed with a key the sandbox does not know.
    let wrong_key = client_with(&gw, APP, PLATFORM, PLATFORM_PUB);
    assert!(
        matches!(wrong_key.create(&order("ks_c1", 100)).await, Err(ProviderError::Refused { code, .. }) if code == "isv.invalid-signature")
    );
    assert!(!sandbox.find("ks_c1"));
    // Another app id.
    let wrong_app = client_with(&gw, "2021000000000002", MERCHANT, PLATFORM_PUB);
    assert!(
        matches!(wrong_app.create(&order("ks_c1", 100)).await, Err(ProviderError::Refused { code, .. }) if code == "isv.invalid-app-id")
    );
    // Answers signed by someone other than the configured Alipay key are not believed.
    let wrong_alipay = client_with(&gw, APP, MERCHANT, MERCHANT_PUB);
    assert!(matches!(wrong_alipay.create(&order("ks_c2", 100)).await, Err(ProviderError::BadResponse(_))));
    // Non-CNY amounts never leave keepsim.
    let c = client(&gw);
    let mut usd = order("ks_c3", 100);
    usd.amount = Money::new(100, Currency::USD);
    assert!(matches!(c.create(&usd).await, Err(ProviderError::Refused { .. })));
    // Nothing listens there: a transport error.
    let dead = client("http://127.0.0.1:9/gateway.do");
    assert!(matches!(dead.query("x", "x").await, Err(ProviderError::Transport(_))));
}

#[tokio::test]
async fn raw_gateway_answers_like_alipay() {
    let (_sandbox, gw) = start().await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let text =
        http.post(&gw).form(&[("method", "alipay.trade.pay.nothing")]).send().await.unwrap().text().await.unwrap();
    assert!(text.starts_with("{\"error_response\":{"), "{text}");
    assert!(text.contains("isv.invalid-method"));
    let text = http
        .post(&gw)
        .form(&[("method", "alipay.trade.query"), ("app_id", APP), ("biz_content", "{}")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.starts_with("{\"alipay_trade_query_response\":{"), "{text}");
    assert!(text.contains("isv.missing-signature"));
    // Undecodable bodies are answered, not crashed on.
    let res = http.post(&gw).body(&b"a=%zz&\xff"[..]).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("error_response"));
}
