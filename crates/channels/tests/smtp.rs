//! The SMTP mailer against a real SMTP server on loopback: a small sink
//! written here with Tokio that speaks enough SMTP (220 greeting, EHLO
//! without STARTTLS, MAIL, RCPT, DATA with dot-unstuffing, QUIT) and hands
//! every received message to the test.

#![allow(clippy::unwrap_used)]

use std::{
    net::SocketAddr,
    path::Path,
    time::{Duration, Instant},
};

use base64::Engine;
use keepsim_channels::{ChannelError, Email, Mailer};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
    sync::mpsc,
};

/// How the sink behaves.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Accept every message.
    Accept,
    /// Answer RCPT TO with this code (`554`, `451`, …).
    RcptReply(u16),
    /// Accept the TCP connection and never say a word.
    Silent,
}

/// What one SMTP session delivered.
#[derive(Debug)]
struct Received {
    ehlo: String,
    mail_from: String,
    rcpt_to: Vec<String>,
    data: String,
}

async fn spawn_sink(mode: Mode) -> (SocketAddr, mpsc::UnboundedReceiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                if mode == Mode::Silent {
                    let _held = stream;
                    tokio::time::sleep(Duration::from_secs(60)).await;
                    return;
                }
                let _ = session(stream, mode, tx).await;
            });
        }
    });
    (addr, rx)
}

async fn session(
    stream: tokio::net::TcpStream,
    mode: Mode,
    tx: mpsc::UnboundedSender<Received>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP keepsim test sink\r\n").await?;
    let mut ehlo = String::new();
    let mut mail_from = String::new();
    let mut rcpt_to = Vec::new();
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let line = line.trim_end_matches(['\r', '\n']);
        let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" | "HELO" => {
                ehlo = line[5.min(line.len())..].to_owned();
                // Deliberately no STARTTLS, no AUTH, no 8BITMIME.
                write.write_all(b"250-sink.test greets you\r\n250 SIZE 10485760\r\n").await?;
            }
            "MAIL" => {
                mail_from = line.to_owned();
                write.write_all(b"250 2.1.0 Ok\r\n").await?;
            }
            "RCPT" => match mode {
                Mode::RcptReply(code) => {
                    write.write_all(format!("{code} 5.1.1 <nobody>: Recipient address rejected\r\n").as_bytes()).await?
                }
                _ => {
                    rcpt_to.push(line.to_owned());
                    write.write_all(b"250 2.1.5 Ok\r\n").await?;
                }
            },
            "DATA" => {
                write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                let mut data = String::new();
                loop {
                    let mut raw = String::new();
                    if lines.read_line(&mut raw).await? == 0 {
                        return Ok(());
                    }
                    if raw == ".\r\n" {
                        break;
                    }
                    data.push_str(raw.strip_prefix('.').unwrap_or(&raw));
                }
                let _ = tx.send(Received {
                    ehlo: ehlo.clone(),
                    mail_from: std::mem::take(&mut mail_from),
                    rcpt_to: std::mem::take(&mut rcpt_to),
                    data,
                });
                write.write_all(b"250 2.0.0 Ok: queued as 1\r\n").await?;
            }
            "RSET" | "NOOP" => write.write_all(b"250 2.0.0 Ok\r\n").await?,
            "QUIT" => {
                write.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            }
            _ => write.write_all(b"502 5.5.2 Command not recognized\r\n").await?,
        }
    }
}

fn mailer(addr: SocketAddr, timeout: Duration) -> Mailer {
    Mailer::from_config_with_timeout(
        Some(&format!("smtp://127.0.0.1:{}?tls=none", addr.port())),
        "keepsim <noreply@keepsim.test>",
        Path::new("/nonexistent-outbox"),
        timeout,
    )
    .unwrap()
}

fn chinese_email() -> Email {
    Email {
        to: "zhang.wei@example.cn".into(),
        to_name: Some("张伟".into()),
        subject: "您的流量已用 75%".into(),
        text: "您好，张伟：\n\n您的“日本 7 天 3GB”套餐已使用 75% 的流量（2.25 GB / 3 GB）。\n如需继续使用，请及时充值。\n\nkeepsim"
            .into(),
        language: "zh-CN".into(),
        message_id: Some("<usage-75-ord_123@keepsim.test>".into()),
    }
}

// --- a little MIME reading -------------------------------------------------

/// Splits a message into unfolded headers and the raw body.
fn split_message(data: &str) -> (Vec<(String, String)>, String) {
    let (head, body) = data.split_once("\r\n\r\n").expect("a blank line after the headers");
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().expect("a continuation after a header");
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else {
            let (name, value) = line.split_once(':').expect("name: value");
            headers.push((name.to_owned(), value.trim().to_owned()));
        }
    }
    (headers, body.to_owned())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    let mut found = headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name));
    let (_, value) = found.next().unwrap_or_else(|| panic!("no {name} header in {headers:?}"));
    assert!(found.next().is_none(), "{name} appears twice");
    value
}

/// Decodes RFC 2047 encoded words (B and Q, UTF-8); whitespace between two
/// encoded words is dropped.
fn decode_rfc2047(value: &str) -> String {
    let mut out = String::new();
    let mut previous_encoded = false;
    for token in value.split_whitespace() {
        let decoded = token.strip_prefix("=?").and_then(|t| t.strip_suffix("?=")).and_then(|t| {
            let mut parts = t.splitn(3, '?');
            let (charset, encoding, text) = (parts.next()?, parts.next()?, parts.next()?);
            assert!(charset.eq_ignore_ascii_case("utf-8"), "charset {charset}");
            let bytes = match encoding {
                "B" | "b" => base64::engine::general_purpose::STANDARD.decode(text).unwrap(),
                "Q" | "q" => decode_quoted_printable(&text.replace('_', " ")),
                other => panic!("encoding {other}"),
            };
            Some(bytes)
        });
        match decoded {
            Some(bytes) => {
                if !out.is_empty() && !previous_encoded {
                    out.push(' ');
                }
                out.push_str(&String::from_utf8(bytes).unwrap());
                previous_encoded = true;
            }
            None => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(token);
                previous_encoded = false;
            }
        }
    }
    out
}

fn decode_quoted_printable(s: &str) -> Vec<u8> {
    let s = s.replace("=\r\n", "");
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            out.push(u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap(), 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn decode_body(headers: &[(String, String)], body: &str) -> String {
    let bytes = match header(headers, "Content-Transfer-Encoding").to_ascii_lowercase().as_str() {
        "base64" => base64::engine::general_purpose::STANDARD.decode(body.replace("\r\n", "")).unwrap(),
        "quoted-printable" => decode_quoted_printable(body),
        "7bit" | "8bit" => body.as_bytes().to_vec(),
        other => panic!("unexpected transfer encoding {other}"),
    };
    String::from_utf8(bytes).unwrap()
}

// --- tests -----------------------------------------------------------------

#[tokio::test]
async fn delivers_a_chinese_email_with_headers_language_and_body() {
    let (addr, mut received) = spawn_sink(Mode::Accept).await;
    let email = chinese_email();
    mailer(addr, Duration::from_secs(10)).send(&email).await.unwrap();

    let message = tokio::time::timeout(Duration::from_secs(5), received.recv()).await.unwrap().unwrap();
    assert!(!message.ehlo.trim().is_empty());
    assert_eq!(message.mail_from, "MAIL FROM:<noreply@keepsim.test>");
    assert_eq!(message.rcpt_to, ["RCPT TO:<zhang.wei@example.cn>"]);
    // Everything on the wire is 7-bit: no 8BITMIME was offered.
    assert!(message.data.is_ascii(), "{}", message.data);

    let (headers, body) = split_message(&message.data);
    assert_eq!(header(&headers, "From"), "keepsim <noreply@keepsim.test>");
    let to = header(&headers, "To");
    assert!(to.ends_with("<zhang.wei@example.cn>"), "{to}");
    assert_eq!(decode_rfc2047(to), "张伟 <zhang.wei@example.cn>");
    let subject = header(&headers, "Subject");
    assert!(subject.contains("=?utf-8?"), "non-ASCII subject is RFC 2047 encoded: {subject}");
    assert_eq!(decode_rfc2047(subject), "您的流量已用 75%");
    assert_eq!(header(&headers, "Content-Language"), "zh-CN");
    assert_eq!(header(&headers, "Content-Type").to_ascii_lowercase().replace(' ', ""), "text/plain;charset=utf-8");
    assert_eq!(header(&headers, "MIME-Version"), "1.0");
    assert_eq!(header(&headers, "Message-ID"), "<usage-75-ord_123@keepsim.test>");
    assert!(!header(&headers, "Date").is_empty());

    let text = decode_body(&headers, &body);
    assert_eq!(text.trim_end(), email.text.replace('\n', "\r\n"));
    assert!(text.contains("您的“日本 7 天 3GB”套餐已使用 75% 的流量"));
}

#[tokio::test]
async fn an_english_email_has_its_own_language_and_a_generated_message_id() {
    let (addr, mut received) = spawn_sink(Mode::Accept).await;
    let email = Email {
        to: "alice@example.com".into(),
        to_name: None,
        subject: "Your data is 75% used".into(),
        text: "Hello Alice,\n\nYou have used 75% of your Japan 7-day 3 GB plan.\n".into(),
        language: "en".into(),
        message_id: None,
    };
    mailer(addr, Duration::from_secs(10)).send(&email).await.unwrap();
    let message = received.recv().await.unwrap();
    let (headers, body) = split_message(&message.data);
    assert_eq!(header(&headers, "To"), "alice@example.com");
    assert_eq!(header(&headers, "Subject"), "Your data is 75% used");
    assert_eq!(header(&headers, "Content-Language"), "en");
    let id = header(&headers, "Message-ID");
    assert!(id.starts_with('<') && id.ends_with('>') && id.contains('@'), "{id}");
    assert!(decode_body(&headers, &body).contains("You have used 75% of your Japan 7-day 3 GB plan."));
}

#[tokio::test]
async fn a_554_to_rcpt_is_rejected() {
    let (addr, _received) = spawn_sink(Mode::RcptReply(554)).await;
    match mailer(addr, Duration::from_secs(10)).send(&chinese_email()).await {
        Err(error @ ChannelError::Rejected(_)) => {
            assert!(!error.is_retryable());
            assert!(error.to_string().contains("554"), "{error}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_451_to_rcpt_is_transient() {
    let (addr, _received) = spawn_sink(Mode::RcptReply(451)).await;
    match mailer(addr, Duration::from_secs(10)).send(&chinese_email()).await {
        Err(error @ ChannelError::Transient(_)) => assert!(error.is_retryable()),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn nothing_listening_is_transient_and_quick() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let started = Instant::now();
    let result = mailer(addr, Duration::from_secs(10)).send(&chinese_email()).await;
    assert!(matches!(result, Err(ChannelError::Transient(_))), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_silent_server_times_out_as_transient() {
    let (addr, _received) = spawn_sink(Mode::Silent).await;
    let started = Instant::now();
    let result = mailer(addr, Duration::from_millis(500)).send(&chinese_email()).await;
    let elapsed = started.elapsed();
    match result {
        Err(ChannelError::Transient(message)) => assert!(message.contains("127.0.0.1"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert!(elapsed >= Duration::from_millis(400) && elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn starttls_required_but_not_offered_is_a_config_error() {
    let (addr, _received) = spawn_sink(Mode::Accept).await;
    let mailer = Mailer::from_config_with_timeout(
        Some(&format!("smtp://user:hunter2@127.0.0.1:{}?tls=starttls", addr.port())),
        "keepsim <noreply@keepsim.test>",
        Path::new("/nonexistent-outbox"),
        Duration::from_secs(5),
    )
    .unwrap();
    match mailer.send(&chinese_email()).await {
        Err(ChannelError::Config(message)) => {
            assert!(message.contains("STARTTLS"), "{message}");
            assert!(!message.contains("hunter2"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_bad_recipient_or_language_is_refused_before_connecting() {
    let (addr, mut received) = spawn_sink(Mode::Accept).await;
    let mailer = mailer(addr, Duration::from_secs(5));
    let bad_to = Email { to: "not an address".into(), ..chinese_email() };
    assert!(matches!(mailer.send(&bad_to).await, Err(ChannelError::Config(_))));
    let bad_language = Email { language: "zh_CN".into(), ..chinese_email() };
    assert!(matches!(mailer.send(&bad_language).await, Err(ChannelError::Config(_))));
    assert!(received.try_recv().is_err());
}
