//! Without an SMTP server, every email becomes one `.eml` file in the
//! outbox folder: a complete RFC 5322 message with its UTF-8 text readable.

#![allow(clippy::unwrap_used)]

use keepsim_channels::{Email, Mailer};

fn eml_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

#[tokio::test]
async fn sending_without_smtp_writes_one_eml_file() {
    let data = tempfile::tempdir().unwrap();
    let outbox = data.path().join("outbox");
    let mailer = Mailer::from_config(None, "keepsim <noreply@keepsim.test>", &outbox).unwrap();
    assert!(mailer.is_outbox());
    assert!(!outbox.exists(), "the folder is created on first send, not before");

    let email = Email {
        to: "zhang.wei@example.cn".into(),
        to_name: Some("张伟".into()),
        subject: "您的流量已用 75%".into(),
        text: "您好，张伟：\n您的套餐已使用 75% 的流量。".into(),
        language: "zh-CN".into(),
        message_id: None,
    };
    mailer.send(&email).await.unwrap();

    let files = eml_files(&outbox);
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_str().unwrap().to_owned();
    // <YYYYMMDD>T<HHMMSS>Z-<uuid>.eml
    let (stamp, rest) = name.split_once('-').unwrap();
    assert_eq!(stamp.len(), 16, "{name}");
    assert!(stamp.ends_with('Z') && stamp.as_bytes()[8] == b'T', "{name}");
    assert!(rest.ends_with(".eml") && rest.len() == 36 + 4, "{name}");

    let content = std::fs::read_to_string(&files[0]).unwrap();
    let (head, body) = content.split_once("\r\n\r\n").unwrap();
    let head = format!("{head}\r\n");
    assert!(head.contains("From: keepsim <noreply@keepsim.test>\r\n"), "{head}");
    assert!(head.contains("<zhang.wei@example.cn>"), "{head}");
    assert!(head.contains("Subject: =?utf-8?"), "{head}");
    assert!(head.contains("Content-Language: zh-CN\r\n"), "{head}");
    assert!(head.contains("Content-Type: text/plain; charset=utf-8\r\n"), "{head}");
    assert!(head.contains("Content-Transfer-Encoding: 8bit\r\n"), "{head}");
    assert!(head.contains("MIME-Version: 1.0\r\n"), "{head}");
    assert!(head.contains("Message-ID: <"), "{head}");
    assert!(head.contains("Date: "), "{head}");
    assert_eq!(body.trim_end(), "您好，张伟：\r\n您的套餐已使用 75% 的流量。");

    // A second message is a second file; no temporary files are left.
    mailer.send(&Email { subject: "second".into(), ..email }).await.unwrap();
    let files = eml_files(&outbox);
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files.iter().all(|f| f.extension().is_some_and(|e| e == "eml")), "{files:?}");
}

#[tokio::test]
async fn an_unwritable_outbox_is_a_transient_error() {
    let data = tempfile::tempdir().unwrap();
    let blocker = data.path().join("not-a-folder");
    std::fs::write(&blocker, b"x").unwrap();
    let mailer = Mailer::from_config(None, "noreply@keepsim.test", &blocker.join("outbox")).unwrap();
    let email = Email {
        to: "a@example.com".into(),
        to_name: None,
        subject: "s".into(),
        text: "t".into(),
        language: "en".into(),
        message_id: None,
    };
    let result = mailer.send(&email).await;
    assert!(matches!(result, Err(keepsim_channels::ChannelError::Transient(_))), "{result:?}");
}
