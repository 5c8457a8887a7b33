//! The webhook sender against a small axum server on loopback: signed
//! headers that verify, and the retry classification of answers.

#![allow(clippy::unwrap_used)]

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::IntoResponse,
    routing::post,
};
use keepsim_channels::{
    ChannelError, WebhookSecret, WebhookSender,
    webhook::{self, DEFAULT_TOLERANCE, endpoint_url},
};

#[derive(Debug, Clone)]
struct Hit {
    headers: HeaderMap,
    body: Bytes,
}

type Hits = Arc<Mutex<Vec<Hit>>>;

async fn answer(
    State(hits): State<Hits>,
    Path(status): Path<u16>,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    hits.lock().unwrap().push(Hit { headers, body });
    let status = StatusCode::from_u16(status).unwrap();
    let mut response = (status, format!("answer {status}\nline two")).into_response();
    if status.is_redirection() {
        response.headers_mut().insert(header::LOCATION, "https://elsewhere.example/hook".parse().unwrap());
    }
    response
}

async fn slow(State(hits): State<Hits>, headers: HeaderMap, body: Bytes) -> StatusCode {
    hits.lock().unwrap().push(Hit { headers, body });
    tokio::time::sleep(Duration::from_secs(30)).await;
    StatusCode::OK
}

async fn spawn_server() -> (SocketAddr, Hits) {
    let hits: Hits = Arc::default();
    let app = Router::new().route("/hook/{status}", post(answer)).route("/slow", post(slow)).with_state(hits.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, hits)
}

const BODY: &[u8] =
    br#"{"type":"usage.threshold","timestamp":"2026-05-01T08:00:00Z","data":{"line":"ln_1","percent":75}}"#;

fn secret() -> WebhookSecret {
    WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap()
}

#[tokio::test]
async fn delivers_signed_headers_that_verify() {
    let (addr, hits) = spawn_server().await;
    let sender = WebhookSender::new().unwrap();
    let url = endpoint_url(&format!("http://{addr}/hook/200")).unwrap();
    let id = webhook::new_message_id();
    let timestamp = time::OffsetDateTime::now_utc().unix_timestamp();
    assert_eq!(sender.deliver(&url, &secret(), &id, timestamp, BODY).await.unwrap(), 200);

    let hit = hits.lock().unwrap().pop().unwrap();
    assert_eq!(hit.body.as_ref(), BODY);
    let get = |name: &str| hit.headers.get(name).unwrap_or_else(|| panic!("no {name}")).to_str().unwrap().to_owned();
    assert_eq!(get("content-type"), "application/json");
    assert_eq!(get("webhook-id"), id);
    assert_eq!(get("webhook-timestamp"), timestamp.to_string());
    let signature = get("webhook-signature");
    assert!(signature.starts_with("v1,"), "{signature}");
    assert!(get("user-agent").starts_with("keepsim-webhooks/"));
    // The receiver's check, exactly as a partner would run it.
    webhook::verify(
        &secret(),
        &get("webhook-id"),
        &get("webhook-timestamp"),
        &signature,
        &hit.body,
        time::OffsetDateTime::now_utc().unix_timestamp(),
        DEFAULT_TOLERANCE,
    )
    .unwrap();
    // And it is not valid for another body.
    assert!(
        webhook::verify(&secret(), &id, &timestamp.to_string(), &signature, b"{}", timestamp, DEFAULT_TOLERANCE)
            .is_err()
    );
}

#[tokio::test]
async fn any_2xx_is_success() {
    let (addr, _hits) = spawn_server().await;
    let sender = WebhookSender::new().unwrap();
    for status in [201u16, 202, 204] {
        let url = endpoint_url(&format!("http://{addr}/hook/{status}")).unwrap();
        assert_eq!(sender.deliver(&url, &secret(), "msg_1", 1_800_000_000, BODY).await.unwrap(), status);
    }
}

#[tokio::test]
async fn answers_are_classified_for_retry() {
    let (addr, hits) = spawn_server().await;
    let sender = WebhookSender::new().unwrap();
    for (status, retry) in [
        (500u16, true),
        (502, true),
        (503, true),
        (408, true),
        (429, true),
        (400, false),
        (401, false),
        (404, false),
        (410, false),
        (302, false),
    ] {
        let url = endpoint_url(&format!("http://{addr}/hook/{status}?token=sekrit")).unwrap();
        let error = sender.deliver(&url, &secret(), "msg_1", 1_800_000_000, BODY).await.unwrap_err();
        match (&error, retry) {
            (ChannelError::Transient(_), true) | (ChannelError::Rejected(_), false) => {}
            _ => panic!("{status}: {error:?}"),
        }
        let message = error.to_string();
        assert!(message.contains(&format!("HTTP {status}")), "{message}");
        assert!(message.contains("answer "), "the start of the answer is shown: {message}");
        assert!(!message.contains("sekrit"), "the query string is not shown: {message}");
        assert!(!message.contains('\n'), "{message}");
    }
    // The redirect was not followed (one hit per status, none elsewhere).
    assert_eq!(hits.lock().unwrap().len(), 10);
}

#[tokio::test]
async fn a_redirect_names_its_target() {
    let (addr, _hits) = spawn_server().await;
    let url = endpoint_url(&format!("http://{addr}/hook/307")).unwrap();
    let error = WebhookSender::new().unwrap().deliver(&url, &secret(), "msg_1", 1, BODY).await.unwrap_err();
    assert!(matches!(&error, ChannelError::Rejected(m) if m.contains("https://elsewhere.example/hook")), "{error}");
}

#[tokio::test]
async fn connection_refused_is_transient() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = endpoint_url(&format!("http://127.0.0.1:{port}/hook")).unwrap();
    let started = Instant::now();
    let error = WebhookSender::new().unwrap().deliver(&url, &secret(), "msg_1", 1, BODY).await.unwrap_err();
    assert!(matches!(&error, ChannelError::Transient(m) if m.contains("connection failed")), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_slow_endpoint_times_out_as_transient() {
    let (addr, hits) = spawn_server().await;
    let sender = WebhookSender::with_timeout(Duration::from_millis(500)).unwrap();
    let url = endpoint_url(&format!("http://{addr}/slow")).unwrap();
    let started = Instant::now();
    let error = sender.deliver(&url, &secret(), "msg_1", 1, BODY).await.unwrap_err();
    assert!(matches!(&error, ChannelError::Transient(m) if m.contains("timed out")), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert_eq!(hits.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn an_id_that_cannot_be_a_header_is_a_config_error() {
    let url = endpoint_url("http://127.0.0.1:9/hook").unwrap();
    let sender = WebhookSender::new().unwrap();
    for id in ["", "msg\r\nx-evil: 1"] {
        let result = sender.deliver(&url, &secret(), id, 1, BODY).await;
        assert!(matches!(result, Err(ChannelError::Config(_))), "{id:?}: {result:?}");
    }
}

#[test]
fn endpoint_urls_must_be_http_or_https_with_a_host() {
    for good in ["https://hooks.example.com/keepsim", "http://127.0.0.1:8080/x?y=1", "  https://[::1]:8443/h  "] {
        let url = endpoint_url(good).unwrap_or_else(|e| panic!("{good}: {e}"));
        assert!(matches!(url.scheme(), "http" | "https"));
    }
    for (bad, says) in [
        ("ftp://files.example.com/hook", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("mailto:ops@example.com", "http:// or https://"),
        ("data:text/plain,hi", "http:// or https://"),
        ("http://", "not a valid"),
        ("hooks.example.com/keepsim", "not a valid"),
        ("", "not a valid"),
        ("https://user:pw@hooks.example.com/", "user:password"),
    ] {
        match endpoint_url(bad) {
            Err(ChannelError::Config(message)) => assert!(message.contains(says), "{bad}: {message}"),
            other => panic!("{bad:?} accepted: {other:?}"),
        }
    }
}
