//! Email: plain-text UTF-8 messages in the customer's language, sent over
//! SMTP or written to an `.eml` outbox folder.
//!
//! [`Mailer::from_config`] reads the operator's settings (`KEEPSIM_SMTP_URL`,
//! `KEEPSIM_SMTP_FROM`, the data directory's outbox folder):
//!
//! - `smtp://user:pass@host:587?tls=starttls` — STARTTLS required (the
//!   default for `smtp://`; port 587 by default);
//! - `smtp://host?tls=tls` or `smtps://user:pass@host` — implicit TLS (port
//!   465 by default);
//! - `smtp://host:25?tls=none` — plaintext (port 25 by default), for a
//!   trusted local relay only;
//! - unset (or empty): every message is written to
//!   `<outbox>/<timestamp>-<uuid>.eml` instead.
//!
//! User name and password are percent-decoded (`%40` for `@`, `%3A` for `:`).
//! TLS is rustls with the Mozilla (webpki) root certificates.
//!
//! One [`Mailer::send`] is one attempt, bounded by the send timeout (10 s by
//! default): it never hangs on a server that accepts the connection and
//! stays silent. Its [`ChannelError`] says whether to retry
//! ([`ChannelError::Transient`]: refused connection, timeout, SMTP 4xx) or
//! not ([`ChannelError::Rejected`]: SMTP 5xx; [`ChannelError::Config`]).

use std::{
    fmt,
    path::{Path, PathBuf},
    time::Duration,
};

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Body, Mailbox, SinglePart,
        header::{ContentTransferEncoding, ContentType, Header, HeaderName, HeaderValue},
    },
    transport::smtp::{
        authentication::Credentials,
        client::{Tls, TlsParameters},
    },
};

use crate::ChannelError;

/// How long one SMTP send (connect, TLS, authentication and the whole
/// dialogue) may take before it is abandoned as [`ChannelError::Transient`].
pub const DEFAULT_SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// One plain-text email to one recipient. Serializable, so a caller can
/// keep it in a delivery queue between attempts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Email {
    /// The recipient's address (`alice@example.com`).
    pub to: String,
    /// The recipient's display name, if known (encoded as RFC 2047 when not
    /// ASCII).
    #[serde(default)]
    pub to_name: Option<String>,
    /// The subject line, in the customer's language (encoded as RFC 2047 when
    /// not ASCII).
    pub subject: String,
    /// The plain-text body, in the customer's language. Line endings become
    /// CRLF; the body is sent as `text/plain; charset=utf-8`.
    pub text: String,
    /// The body's language as a BCP 47 tag (`zh-CN`, `en`), sent as the
    /// `Content-Language` header.
    pub language: String,
    /// The `Message-ID` to use (`<id@domain>`; angle brackets are added when
    /// missing). `None`: a random one is generated. A stable id lets a
    /// retried send be recognised as the same message.
    #[serde(default)]
    pub message_id: Option<String>,
}

/// How a [`Mailer::Smtp`] secures its connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plaintext, then `STARTTLS`, which the server must offer (`tls=starttls`).
    StartTls,
    /// TLS from the first byte (`tls=tls`, or the `smtps://` scheme).
    Implicit,
    /// No encryption at all (`tls=none`): for a trusted local relay only.
    None,
}

impl SmtpTls {
    /// The `tls=` query value for this mode (`starttls`, `tls`, `none`).
    pub fn as_str(&self) -> &'static str {
        match self {
            SmtpTls::StartTls => "starttls",
            SmtpTls::Implicit => "tls",
            SmtpTls::None => "none",
        }
    }

    /// The port used when the URL names none: 587, 465 or 25.
    pub fn default_port(&self) -> u16 {
        match self {
            SmtpTls::StartTls => 587,
            SmtpTls::Implicit => 465,
            SmtpTls::None => 25,
        }
    }
}

/// Where a [`Mailer::Smtp`] sends, without the password: safe to log.
///
/// Displays as `smtp://user:***@host:port?tls=mode`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpServer {
    /// Host name or IP address (IPv6 without brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// Connection security.
    pub tls: SmtpTls,
    /// The (decoded) user name, when the URL has credentials.
    pub username: Option<String>,
}

impl fmt::Display for SmtpServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("smtp://")?;
        if self.username.is_some() {
            f.write_str("***:***@")?;
        }
        if self.host.contains(':') {
            write!(f, "[{}]", self.host)?;
        } else {
            f.write_str(&self.host)?;
        }
        write!(f, ":{}?tls={}", self.port, self.tls.as_str())
    }
}

/// Sends [`Email`]s: over SMTP, or into an outbox folder of `.eml` files.
///
/// Built by [`Mailer::from_config`]. Cheap to clone (the SMTP transport holds
/// only its settings; each send opens its own connection). `Debug` never
/// shows the SMTP password.
#[derive(Clone)]
pub enum Mailer {
    /// Deliver through an SMTP server.
    Smtp {
        /// The lettre transport (carries the credentials; boxed, it is large).
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        /// The `From` mailbox (`KEEPSIM_SMTP_FROM`).
        from: Mailbox,
        /// Where the transport connects, for logs and errors.
        server: SmtpServer,
        /// The bound on one whole send.
        timeout: Duration,
    },
    /// Write each message to `<dir>/<timestamp>-<uuid>.eml` (no SMTP server
    /// configured).
    Outbox {
        /// The outbox folder, created on first send when missing.
        dir: PathBuf,
        /// The `From` mailbox (`KEEPSIM_SMTP_FROM`).
        from: Mailbox,
    },
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mailer::Smtp { from, server, timeout, .. } => f
                .debug_struct("Smtp")
                .field("server", &server.to_string())
                .field("from", &from.to_string())
                .field("timeout", timeout)
                .finish_non_exhaustive(),
            Mailer::Outbox { dir, from } => {
                f.debug_struct("Outbox").field("dir", dir).field("from", &from.to_string()).finish()
            }
        }
    }
}

impl fmt::Display for Mailer {
    /// A one-line description for startup logs, without the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mailer::Smtp { server, from, .. } => write!(f, "SMTP {server} from {from}"),
            Mailer::Outbox { dir, from } => write!(f, "outbox folder {} from {from}", dir.display()),
        }
    }
}

impl Mailer {
    /// Builds the mailer from the operator's settings, with the default
    /// 10-second send timeout.
    ///
    /// `smtp_url` is `KEEPSIM_SMTP_URL` (`None`, empty or blank: write to
    /// `outbox_dir`); `from` is `KEEPSIM_SMTP_FROM`, a mailbox such as
    /// `keepsim <noreply@example.com>`. Touches neither the network nor the
    /// disk, and needs no running Tokio runtime.
    ///
    /// # Errors
    ///
    /// [`ChannelError::Config`] for an unparsable URL (unknown scheme, bad
    /// port, unknown `tls=` value or query parameter, a path) or `from`
    /// address. The message never contains the password.
    pub fn from_config(smtp_url: Option<&str>, from: &str, outbox_dir: &Path) -> Result<Mailer, ChannelError> {
        Self::from_config_with_timeout(smtp_url, from, outbox_dir, DEFAULT_SEND_TIMEOUT)
    }

    /// [`Mailer::from_config`] with another bound on one send (tests use a
    /// short one).
    ///
    /// # Errors
    ///
    /// As [`Mailer::from_config`].
    pub fn from_config_with_timeout(
        smtp_url: Option<&str>,
        from: &str,
        outbox_dir: &Path,
        timeout: Duration,
    ) -> Result<Mailer, ChannelError> {
        let from: Mailbox = from.trim().parse().map_err(|e| {
            ChannelError::Config(format!(
                "sender address {from:?} is not a valid mailbox (expected `name <user@domain>` or `user@domain`): {e}"
            ))
        })?;
        let Some(url) = smtp_url.map(str::trim).filter(|u| !u.is_empty()) else {
            return Ok(Mailer::Outbox { dir: outbox_dir.to_path_buf(), from });
        };
        let parsed = parse_smtp_url(url)?;
        let server = parsed.server;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(server.host.clone())
            .port(server.port)
            .timeout(Some(timeout));
        let tls = match server.tls {
            SmtpTls::None => Tls::None,
            SmtpTls::StartTls => Tls::Required(tls_parameters(&server.host)?),
            SmtpTls::Implicit => Tls::Wrapper(tls_parameters(&server.host)?),
        };
        builder = builder.tls(tls);
        if let (Some(user), Some(password)) = (&server.username, parsed.password) {
            if server.tls == SmtpTls::None {
                tracing::warn!(%server, "SMTP credentials configured with tls=none: they travel unencrypted");
            }
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        Ok(Mailer::Smtp { transport: Box::new(builder.build()), from, server, timeout })
    }

    /// The `From` mailbox.
    pub fn from(&self) -> &Mailbox {
        match self {
            Mailer::Smtp { from, .. } | Mailer::Outbox { from, .. } => from,
        }
    }

    /// Whether messages go to the outbox folder rather than an SMTP server.
    pub fn is_outbox(&self) -> bool {
        matches!(self, Mailer::Outbox { .. })
    }

    /// One attempt at sending `email`.
    ///
    /// Over SMTP the body is quoted-printable or base64 (whichever lettre
    /// finds shorter), so any server accepts it; in the outbox the body is
    /// written as 8-bit UTF-8 so the file reads as text (base64 only if a line
    /// is too long for 8-bit).
    ///
    /// # Errors
    ///
    /// - [`ChannelError::Config`]: invalid recipient address or language tag,
    ///   or the server lacks what the configuration requires (STARTTLS, a
    ///   usable AUTH mechanism).
    /// - [`ChannelError::Transient`]: connection refused, DNS or TLS failure,
    ///   the send timeout, an SMTP 4xx reply, an outbox write failure.
    /// - [`ChannelError::Rejected`]: an SMTP 5xx reply (unknown recipient,
    ///   authentication refused, message refused).
    pub async fn send(&self, email: &Email) -> Result<(), ChannelError> {
        match self {
            Mailer::Smtp { transport, from, server, timeout } => {
                let message = build_message(email, from, false)?;
                match tokio::time::timeout(*timeout, transport.send(message)).await {
                    Err(_elapsed) => Err(ChannelError::Transient(format!(
                        "SMTP server {server} did not complete the send within {timeout:?}"
                    ))),
                    Ok(Err(e)) => Err(classify_smtp_error(&e, server)),
                    Ok(Ok(response)) => {
                        tracing::debug!(%server, code = %response.code(), "email accepted by SMTP server");
                        Ok(())
                    }
                }
            }
            Mailer::Outbox { dir, from } => {
                let message = build_message(email, from, true)?;
                let path = write_outbox(dir.clone(), message.formatted()).await?;
                tracing::info!(path = %path.display(), "email written to outbox (no SMTP server configured)");
                Ok(())
            }
        }
    }
}

/// A parsed `KEEPSIM_SMTP_URL`.
struct ParsedSmtpUrl {
    server: SmtpServer,
    password: Option<String>,
}

fn parse_smtp_url(input: &str) -> Result<ParsedSmtpUrl, ChannelError> {
    // Never echo `input` in errors: it may hold the password.
    let url = reqwest::Url::parse(input).map_err(|e| {
        ChannelError::Config(format!(
            "SMTP URL is not a valid URL ({e}); expected smtp://user:pass@host:587?tls=starttls"
        ))
    })?;
    let implicit_scheme = match url.scheme() {
        "smtp" => false,
        "smtps" => true,
        other => {
            return Err(ChannelError::Config(format!("SMTP URL scheme must be smtp:// or smtps://, not {other:?}")));
        }
    };
    // `host_str` keeps the brackets of an IPv6 literal; the socket wants none.
    let host = url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_owned();
    if host.is_empty() {
        return Err(ChannelError::Config("SMTP URL has no host".into()));
    }
    if !matches!(url.path(), "" | "/") {
        return Err(ChannelError::Config("SMTP URL must not have a path (only host, port and ?tls=)".into()));
    }
    if url.fragment().is_some() {
        return Err(ChannelError::Config("SMTP URL must not have a #fragment".into()));
    }
    let mut tls = None;
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "tls" => {
                let mode = match value.as_ref() {
                    "starttls" => SmtpTls::StartTls,
                    "tls" => SmtpTls::Implicit,
                    "none" => SmtpTls::None,
                    other => {
                        return Err(ChannelError::Config(format!(
                            "SMTP URL tls={other:?} is not one of starttls, tls, none"
                        )));
                    }
                };
                if tls.replace(mode).is_some() {
                    return Err(ChannelError::Config("SMTP URL gives tls= more than once".into()));
                }
            }
            other => {
                return Err(ChannelError::Config(format!(
                    "SMTP URL has unknown parameter {other:?} (only tls=starttls|tls|none)"
                )));
            }
        }
    }
    let tls = match (implicit_scheme, tls) {
        (false, mode) => mode.unwrap_or(SmtpTls::StartTls),
        (true, None | Some(SmtpTls::Implicit)) => SmtpTls::Implicit,
        (true, Some(mode)) => {
            return Err(ChannelError::Config(format!(
                "smtps:// means implicit TLS; it cannot be combined with tls={}",
                mode.as_str()
            )));
        }
    };
    let username = match url.username() {
        "" => None,
        user => Some(percent_decode(user, "user name")?),
    };
    let password = url.password().map(|p| percent_decode(p, "password")).transpose()?;
    if password.is_some() && username.is_none() {
        return Err(ChannelError::Config("SMTP URL has a password but no user name".into()));
    }
    let password = match (&username, password) {
        (Some(_), None) => {
            return Err(ChannelError::Config("SMTP URL has a user name but no password (user:pass@host)".into()));
        }
        (_, password) => password,
    };
    let port = url.port().unwrap_or_else(|| tls.default_port());
    Ok(ParsedSmtpUrl { server: SmtpServer { host, port, tls, username }, password })
}

/// Decodes `%XX` escapes (a `+` stays a `+`); `what` names the part in errors.
fn percent_decode(s: &str, what: &str) -> Result<String, ChannelError> {
    let bad = || ChannelError::Config(format!("SMTP URL {what} has a malformed %-escape or is not UTF-8"));
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or_else(bad)?;
            let hex = std::str::from_utf8(hex).map_err(|_| bad())?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| bad())?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad())
}

fn tls_parameters(host: &str) -> Result<TlsParameters, ChannelError> {
    TlsParameters::new(host.to_owned())
        .map_err(|e| ChannelError::Config(format!("cannot set up TLS for SMTP host {host:?}: {e}")))
}

fn classify_smtp_error(e: &lettre::transport::smtp::Error, server: &SmtpServer) -> ChannelError {
    if e.is_permanent() {
        ChannelError::Rejected(format!("SMTP server {server} refused: {e}"))
    } else if e.is_client() {
        // Not a network hiccup: the server lacks STARTTLS, an AUTH mechanism
        // we can use, or 8BITMIME/SMTPUTF8. Retrying will not help.
        ChannelError::Config(format!("SMTP server {server} cannot be used as configured: {e}"))
    } else if e.is_timeout() {
        ChannelError::Transient(format!("SMTP server {server} timed out: {e}"))
    } else {
        // 4xx replies, refused/reset connections, DNS and TLS failures.
        ChannelError::Transient(format!("SMTP server {server}: {e}"))
    }
}

/// The `Content-Language` header (RFC 3282).
#[derive(Debug, Clone, PartialEq, Eq)]
struct ContentLanguage(String);

impl Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(s.trim().to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// A loose BCP 47 check: ASCII letters, digits and single hyphens, 1–8
/// characters per subtag, the first subtag letters only.
fn valid_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 64
        && tag.split('-').enumerate().all(|(i, sub)| {
            (1..=8).contains(&sub.len())
                && sub.bytes().all(|b| if i == 0 { b.is_ascii_alphabetic() } else { b.is_ascii_alphanumeric() })
        })
}

/// Replaces CR and LF (which could forge headers) by spaces.
fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

fn build_message(email: &Email, from: &Mailbox, eight_bit: bool) -> Result<Message, ChannelError> {
    let address = email
        .to
        .trim()
        .parse()
        .map_err(|e| ChannelError::Config(format!("recipient address {:?} is not valid: {e}", email.to)))?;
    let to = Mailbox::new(email.to_name.as_deref().map(one_line).filter(|n| !n.trim().is_empty()), address);
    let language = email.language.trim();
    if !valid_language_tag(language) {
        return Err(ChannelError::Config(format!("email language {:?} is not a BCP 47 tag", email.language)));
    }
    let message_id = match email.message_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(id) => {
            if !id.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(ChannelError::Config(format!("Message-ID {id:?} must be printable ASCII without spaces")));
            }
            Some(if id.starts_with('<') && id.ends_with('>') { id.to_owned() } else { format!("<{id}>") })
        }
    };
    let body = if eight_bit {
        // Readable UTF-8 in the file; 8-bit allows at most 998 octets a line,
        // so a longer line falls back to the automatic choice.
        Body::new_with_encoding(email.text.clone(), ContentTransferEncoding::EightBit)
            .unwrap_or_else(|_| Body::new(email.text.clone()))
    } else {
        Body::new(email.text.clone())
    };
    let body = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(body);
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(one_line(&email.subject))
        .message_id(message_id)
        .header(ContentLanguage(language.to_owned()))
        .singlepart(body)
        .map_err(|e| ChannelError::Config(format!("cannot build the email: {e}")))
}

/// Writes `bytes` to `<dir>/<timestamp>-<uuid>.eml` (through a temporary
/// file and a rename, so a reader never sees half a message).
async fn write_outbox(dir: PathBuf, bytes: Vec<u8>) -> Result<PathBuf, ChannelError> {
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!("[year][month][day]T[hour][minute][second]Z"))
        .map_err(|e| ChannelError::Transient(format!("cannot format the outbox timestamp: {e}")))?;
    let name = format!("{stamp}-{}.eml", uuid::Uuid::now_v7());
    let task = tokio::task::spawn_blocking(move || -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(&name);
        let temporary = dir.join(format!(".{name}.tmp"));
        std::fs::write(&temporary, &bytes)?;
        std::fs::rename(&temporary, &path)?;
        Ok(path)
    });
    match task.await {
        Ok(Ok(path)) => Ok(path),
        Ok(Err(e)) => Err(ChannelError::Transient(format!("cannot write to the email outbox: {e}"))),
        Err(e) => Err(ChannelError::Transient(format!("email outbox writer failed: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> Result<(SmtpServer, Option<String>), ChannelError> {
        parse_smtp_url(url).map(|p| (p.server, p.password))
    }

    #[test]
    fn smtp_urls_parse_with_defaults_and_decoded_credentials() {
        let (server, password) = parse("smtp://us%40er:p%3Ass%2Bw+rd@mail.example.com:2525?tls=starttls").unwrap();
        assert_eq!(server.host, "mail.example.com");
        assert_eq!(server.port, 2525);
        assert_eq!(server.tls, SmtpTls::StartTls);
        assert_eq!(server.username.as_deref(), Some("us@er"));
        assert_eq!(password.as_deref(), Some("p:ss+w+rd"));

        let (server, password) = parse("smtp://mail.example.com").unwrap();
        assert_eq!((server.port, server.tls, server.username, password), (587, SmtpTls::StartTls, None, None));
        let (server, _) = parse("smtps://u:p@mail.example.com").unwrap();
        assert_eq!((server.port, server.tls), (465, SmtpTls::Implicit));
        let (server, _) = parse("smtp://mail.example.com?tls=tls").unwrap();
        assert_eq!((server.port, server.tls), (465, SmtpTls::Implicit));
        let (server, _) = parse("smtp://127.0.0.1?tls=none").unwrap();
        assert_eq!((server.host.as_str(), server.port, server.tls), ("127.0.0.1", 25, SmtpTls::None));
        let (server, _) = parse("smtp://[::1]:2525?tls=none").unwrap();
        assert_eq!((server.host.as_str(), server.port), ("::1", 2525));
        assert_eq!(server.to_string(), "smtp://[::1]:2525?tls=none");
    }

    #[test]
    fn bad_smtp_urls_are_config_errors_without_the_password() {
        for url in [
            "http://u:hunter2@mail.example.com",
            "smtp://u:hunter2@mail.example.com?tls=maybe",
            "smtp://u:hunter2@mail.example.com?tls=none&tls=tls",
            "smtp://u:hunter2@mail.example.com?ssl=1",
            "smtp://u:hunter2@mail.example.com/path",
            "smtp://u:hunter2@mail.example.com:99999",
            "smtps://u:hunter2@mail.example.com?tls=none",
            "smtp://u:hunter2%zz@mail.example.com",
            "smtp://u@mail.example.com",
            "smtp://:hunter2@mail.example.com",
            "smtp://",
            "mail.example.com",
        ] {
            match parse(url) {
                Err(ChannelError::Config(message)) => {
                    assert!(!message.contains("hunter2"), "{url}: {message}")
                }
                other => panic!("{url}: {:?}", other.map(|(s, _)| s)),
            }
        }
    }

    #[test]
    fn mailer_debug_and_display_hide_the_password() {
        let mailer = Mailer::from_config(
            Some("smtp://alice:hunter2@mail.example.com"),
            "keepsim <no@keepsim.test>",
            Path::new("/x"),
        )
        .unwrap();
        let debug = format!("{mailer:?}");
        let display = mailer.to_string();
        for text in [&debug, &display] {
            assert!(!text.contains("hunter2"), "{text}");
            assert!(text.contains("mail.example.com:587"), "{text}");
        }
        assert!(!mailer.is_outbox());
    }

    #[test]
    fn no_or_blank_url_means_outbox_and_bad_from_is_refused() {
        for url in [None, Some(""), Some("  ")] {
            let mailer = Mailer::from_config(url, "no@keepsim.test", Path::new("/data/outbox")).unwrap();
            assert!(mailer.is_outbox());
        }
        assert!(matches!(Mailer::from_config(None, "not an address", Path::new("/x")), Err(ChannelError::Config(_))));
    }

    #[test]
    fn language_tags() {
        for good in ["en", "zh-CN", "zh-Hant-HK", "es-419", "de-DE-1996"] {
            assert!(valid_language_tag(good), "{good}");
        }
        for bad in ["", "zh_CN", "-en", "en-", "en--US", "中文", "en US", "1en", "en\r\nBcc: x@y"] {
            assert!(!valid_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn headers_cannot_be_injected() {
        let from: Mailbox = "keepsim <no@keepsim.test>".parse().unwrap();
        let email = Email {
            to: "a@example.com".into(),
            to_name: Some("Eve\r\nBcc: x@evil.test".into()),
            subject: "hi\r\nBcc: x@evil.test".into(),
            text: "body".into(),
            language: "en".into(),
            message_id: Some("abc@keepsim.test".into()),
        };
        let formatted = String::from_utf8(build_message(&email, &from, true).unwrap().formatted()).unwrap();
        assert!(!formatted.contains("\r\nBcc:"), "{formatted}");
        assert!(formatted.contains("Message-ID: <abc@keepsim.test>\r\n"), "{formatted}");
    }
}
