//! The card client against the card sandbox over real HTTP: create → pay →
//! the delivery verifies and parses; query, close, refund, wrong key.
#![allow(clippy::unwrap_used)]

use keepsim_domain::{Currency, Money};
use keepsim_payments::card::{self, CardClient, SIGNATURE_HEADER};
use keepsim_payments::sandbox::Delivery;
use keepsim_payments::sandbox::card::{CardSandbox, router};
use keepsim_payments::{
    CreatePayment, Gateway, NoticeKind, PaymentStatus, ProviderError, Reference, RefundRequest, RefundStatus,
    VerifyError,
};
use std::sync::Arc;

const KEY: &str = "sk_test_sandbox_4242";
const SECRET: &str = "whsec_sandbox_test_0123456789";
const NOTIFY: &str = "http://keepsim.test/webhooks/card";
const NOW: i64 = 1_714_566_645;

async fn start() -> (Arc<CardSandbox>, String) {
    let sandbox = Arc::new(CardSandbox::new(KEY, SECRET, NOTIFY));
    let app = axum::Router::new().nest("/sandbox/card", router(sandbox.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (sandbox, format!("http://{addr}/sandbox/card"))
}

fn client(base: &str, key: &str) -> CardClient {
    CardClient::with_http(base, key, reqwest::Client::builder().no_proxy().build().unwrap())
}

fn order(id: &str, minor: i64) -> CreatePayment {
    CreatePayment {
        order_id: id.into(),
        out_trade_no: format!("ks_{id}"),
        amount: Money::new(minor, Currency::USD),
        description: "keepsim Japan 5 GB".into(),
        notify_url: NOTIFY.into(),
        idempotency_key: format!("create-{id}"),
    }
}

fn signature(d: &Delivery) -> &str {
    &d.headers.iter().find(|(k, _)| k == SIGNATURE_HEADER).unwrap().1
}

fn verify(d: &Delivery) -> keepsim_payments::Notice {
    assert_eq!(d.url, NOTIFY);
    assert!(d.content_type.starts_with("application/json"));
    card::verify_signature(signature(d), &d.body, SECRET, NOW + 5, 300).unwrap();
    card::parse_event(&d.body).unwrap()
}

#[tokio::test]
async fn create_pay_query_refund() {
    let (sandbox, base) = start().await;
    let c = client(&base, KEY);
    let created = c.create(&order("ord_1", 1250)).await.unwrap();
    assert!(created.provider_ref.starts_with("pi_"));
    assert!(created.client_secret.as_deref().unwrap().starts_with(&format!("{}_secret_", created.provider_ref)));
    assert_eq!(created.pay_url, None);
    assert_eq!(sandbox.find_by_order("ord_1").as_deref(), Some(created.provider_ref.as_str()));
    assert_eq!(sandbox.find_by_order("ord_other"), None);

    // A replayed Idempotency-Key returns the same PaymentIntent.
    let again = c.create(&order("ord_1", 1250)).await.unwrap();
    assert_eq!(again, created);
    // The same key with other parameters is refused.
    let mut changed = order("ord_1", 999);
    changed.idempotency_key = "create-ord_1".into();
    assert!(
        matches!(c.create(&changed).await, Err(ProviderError::Refused { code, .. }) if code == "idempotency_key_in_use")
    );

    assert_eq!(c.query(&created.provider_ref, "").await.unwrap(), PaymentStatus::Pending);

    let d = sandbox.pay(&created.provider_ref, NOW).unwrap();
    let n = verify(&d);
    assert!(n.event_id.starts_with("evt_"));
    assert_eq!(
        n.kind,
        NoticeKind::Paid {
            reference: Reference::OrderId("ord_1".into()),
            amount_minor: 1250,
            currency: Currency::USD,
            provider_ref: created.provider_ref.clone(),
        }
    );
    // The delivery is bound to its secret, body and time.
    assert_eq!(card::verify_signature(signature(&d), &d.body, "whsec_other", NOW, 300), Err(VerifyError::BadSignature));
    assert_eq!(
        card::verify_signature(signature(&d), &d.body, SECRET, NOW + 301, 300),
        Err(VerifyError::StaleTimestamp)
    );
    assert!(matches!(
        sandbox.pay(&created.provider_ref, NOW),
        Err(keepsim_payments::sandbox::SandboxError::WrongState(_))
    ));

    assert_eq!(
        c.query(&created.provider_ref, "").await.unwrap(),
        PaymentStatus::Paid { amount_minor: 1250, provider_ref: created.provider_ref.clone() }
    );
    // A paid intent cannot be closed.
    assert!(matches!(c.close(&created.provider_ref, "").await, Err(ProviderError::Refused { .. })));

    // Nothing refunded yet: no refund delivery.
    assert!(sandbox.take_refund_delivery(&created.provider_ref, NOW).is_err());
    let refund = RefundRequest {
        provider_ref: created.provider_ref.clone(),
        out_trade_no: "ks_ord_1".into(),
        refund_no: "rf_1".into(),
        amount: Money::new(500, Currency::USD),
        total: Money::new(1250, Currency::USD),
        notify_url: NOTIFY.into(),
    };
    assert_eq!(c.refund(&refund).await.unwrap(), RefundStatus::Succeeded);
    // Replaying the same refund id does not refund twice.
    assert_eq!(c.refund(&refund).await.unwrap(), RefundStatus::Succeeded);
    let n = verify(&sandbox.take_refund_delivery(&created.provider_ref, NOW).unwrap());
    assert_eq!(
        n.kind,
        NoticeKind::Refunded {
            reference: Reference::PaymentIntent(created.provider_ref.clone()),
            refunded_minor: 500,
            currency: Currency::USD,
            refund_ref: None,
        }
    );
    assert_eq!(c.query(&created.provider_ref, "").await.unwrap(), PaymentStatus::Refunded { refunded_minor: 500 });
    // More than what is left is refused.
    let too_much = RefundRequest { refund_no: "rf_2".into(), amount: Money::new(800, Currency::USD), ..refund };
    assert!(
        matches!(c.refund(&too_much).await, Err(ProviderError::Refused { code, .. }) if code == "amount_too_large")
    );

    let n = verify(&sandbox.dispute(&created.provider_ref, NOW).unwrap());
    assert_eq!(n.kind, NoticeKind::Disputed { reference: Reference::PaymentIntent(created.provider_ref.clone()) });
}

#[tokio::test]
async fn close_fail_and_errors() {
    let (sandbox, base) = start().await;
    let c = client(&base, KEY);
    let created = c.create(&order("ord_2", 300)).await.unwrap();

    let n = verify(&sandbox.fail(&created.provider_ref, NOW).unwrap());
    assert_eq!(
        n.kind,
        NoticeKind::PaymentFailed {
            reference: Reference::OrderId("ord_2".into()),
            reason: Some("Your card was declined.".into())
        }
    );
    assert_eq!(c.query(&created.provider_ref, "").await.unwrap(), PaymentStatus::Pending);

    c.close(&created.provider_ref, "").await.unwrap();
    assert_eq!(c.query(&created.provider_ref, "").await.unwrap(), PaymentStatus::Closed);
    // Closing twice is fine.
    c.close(&created.provider_ref, "").await.unwrap();
    assert!(sandbox.pay(&created.provider_ref, NOW).is_err());

    // Unknown intents and ids that are not ids.
    assert!(
        matches!(c.query("pi_nope", "").await, Err(ProviderError::Refused { code, .. }) if code == "resource_missing")
    );
    assert!(matches!(c.query("../v1/refunds", "").await, Err(ProviderError::Refused { .. })));
    assert!(matches!(sandbox.pay("pi_nope", NOW), Err(keepsim_payments::sandbox::SandboxError::UnknownPayment(_))));

    // The wrong key is refused, on every endpoint.
    let wrong = client(&base, "sk_test_wrong");
    assert!(matches!(wrong.create(&order("ord_3", 100)).await, Err(ProviderError::Refused { .. })));
    assert!(matches!(wrong.query(&created.provider_ref, "").await, Err(ProviderError::Refused { .. })));
    assert_eq!(sandbox.find_by_order("ord_3"), None);

    // Nothing listens there: a transport error.
    let dead = client("http://127.0.0.1:9", KEY);
    assert!(matches!(dead.query("pi_x", "").await, Err(ProviderError::Transport(_))));
}

#[tokio::test]
async fn raw_api_answers_like_stripe() {
    let (_sandbox, base) = start().await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let res = http.post(format!("{base}/v1/payment_intents")).form(&[("amount", "100")]).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request_error");

    let res = http
        .post(format!("{base}/v1/payment_intents"))
        .bearer_auth(KEY)
        .form(&[("amount", "-5"), ("currency", "usd")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["param"], "amount");

    let res = http
        .post(format!("{base}/v1/payment_intents"))
        .bearer_auth(KEY)
        .form(&[("amount", "100"), ("currency", "usd"), ("metadata[order_id]", "o")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["object"], "payment_intent");
    assert_eq!(body["metadata"]["order_id"], "o");
    assert_eq!(body["status"], "requires_payment_method");

    let res = http.get(format!("{base}/v1/nothing")).bearer_auth(KEY).send().await.unwrap();
    assert_eq!(res.status(), 404);
}
