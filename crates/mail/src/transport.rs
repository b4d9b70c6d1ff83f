//! Where mails go: an SMTP server (lettre's async transport, TLS by rustls), or, without one
//! (the embedded default), `.eml` files in a directory with a line on standard output per
//! message, so that a person running gmao locally can follow an invitation or reset link.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, header};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use uuid::Uuid;

/// How to send.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// lettre's URL form: `smtp://user:pass@host:587?tls=required`, `smtps://host`,
    /// `smtp://127.0.0.1:2525` for a local sink. `None`: files in `outbox_dir`.
    pub smtp_url: Option<SecretString>,
    /// The sender, `gmao <no-reply@example.com>`.
    pub from: String,
    /// Where messages are written without an SMTP server.
    pub outbox_dir: PathBuf,
}

/// One message to send, as the outbox holds it.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    /// The outbox id: the message's `Message-ID`, the same on every attempt, so that a
    /// receiving server can tell a retry from a new mail.
    pub id: Uuid,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    /// The link the message is about, printed next to file deliveries.
    pub action_url: Option<&'a str>,
    /// One file to attach: (file name, content type, bytes).
    pub attachment: Option<(&'a str, &'a str, &'a [u8])>,
    /// Sent as `List-Unsubscribe` (with one-click `List-Unsubscribe-Post`, RFC 8058), so that
    /// mail clients offer their own unsubscribe button.
    pub unsubscribe_url: Option<&'a str>,
}

/// Where a message went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Accepted by the SMTP server.
    Sent,
    /// Written to this file.
    Written(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later: the server is unreachable, or answered a temporary refusal.
    #[error("{0}")]
    Transient(String),
    /// Will never go through as it is: an address or message the server refuses for good.
    #[error("{0}")]
    Permanent(String),
}

pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
        /// The server, without credentials, for logs.
        server: String,
    },
    Files {
        dir: PathBuf,
        from: Mailbox,
    },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// How long one SMTP exchange may take before it counts as a transient failure.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

impl Mailer {
    /// A mailer for the settings; the error names what is wrong with them. Call it within the
    /// tokio runtime (the SMTP connection pool lives there).
    pub fn new(settings: &MailSettings) -> Result<Mailer, String> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| format!("mail.from {:?} is not a mailbox: {e}", settings.from))?;
        match &settings.smtp_url {
            Some(url) => {
                let url = url.expose_secret();
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("mail.smtp_url is not a valid SMTP URL: {e}"))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build();
                Ok(Mailer::Smtp {
                    transport,
                    from,
                    server: without_credentials(url),
                })
            }
            None => Ok(Mailer::Files {
                dir: settings.outbox_dir.clone(),
                from,
            }),
        }
    }

    /// What this mailer does, for logs (never a password).
    pub fn describe(&self) -> String {
        match self {
            Mailer::Smtp { server, .. } => format!("SMTP server {server}"),
            Mailer::Files { dir, .. } => format!("files in {}", dir.display()),
        }
    }

    pub async fn send(&self, mail: &Outgoing<'_>) -> Result<Delivery, SendError> {
        let from = match self {
            Mailer::Smtp { from, .. } | Mailer::Files { from, .. } => from,
        };
        let message = build(from, mail)?;
        match self {
            Mailer::Smtp { transport, .. } => match transport.send(message).await {
                Ok(_) => Ok(Delivery::Sent),
                Err(error) if error.is_permanent() => Err(SendError::Permanent(error.to_string())),
                Err(error) => Err(SendError::Transient(error.to_string())),
            },
            Mailer::Files { dir, .. } => {
                let path = write_file(dir, mail.id, &message.formatted())
                    .await
                    .map_err(|e| {
                        SendError::Transient(format!("writing to {}: {e}", dir.display()))
                    })?;
                // The embedded default has no mail server: say where the mail and its link are.
                let link = mail
                    .action_url
                    .map(|url| format!(" → {url}"))
                    .unwrap_or_default();
                println!(
                    "✉ mail to {}: {}{link}  ({})",
                    mail.to,
                    mail.subject,
                    path.display()
                );
                Ok(Delivery::Written(path))
            }
        }
    }
}

fn build(from: &Mailbox, mail: &Outgoing<'_>) -> Result<Message, SendError> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| SendError::Permanent(format!("recipient {:?}: {e}", mail.to)))?;
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject)
        .message_id(Some(format!("<{}@gmao>", mail.id.simple())))
        .header(header::MIME_VERSION_1_0);
    if let Some(url) = mail.unsubscribe_url {
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    let body = MultiPart::alternative_plain_html(mail.text.to_owned(), mail.html.to_owned());
    let body = match mail.attachment {
        None => body,
        Some((name, content_type, bytes)) => {
            let content_type = ContentType::parse(content_type).map_err(|e| {
                SendError::Permanent(format!("attachment type {content_type:?}: {e}"))
            })?;
            MultiPart::mixed()
                .multipart(body)
                .singlepart(Attachment::new(name.to_owned()).body(bytes.to_vec(), content_type))
        }
    };
    builder
        .multipart(body)
        .map_err(|e| SendError::Permanent(format!("building the message: {e}")))
}

async fn write_file(dir: &Path, id: Uuid, bytes: &[u8]) -> std::io::Result<PathBuf> {
    tokio::fs::create_dir_all(dir).await?;
    let path = dir.join(format!("{}.eml", id.simple()));
    tokio::fs::write(&path, bytes).await?;
    Ok(path)
}

/// `smtp://user:secret@host:587?tls=required` → `smtp://host:587?tls=required`.
fn without_credentials(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, _)), Some(at)) if at > scheme.len() + 3 => {
            format!("{scheme}://{}", &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_reach_the_logs() {
        assert_eq!(
            without_credentials("smtp://gmao:s3cr3t@mail.example.com:587?tls=required"),
            "smtp://mail.example.com:587?tls=required"
        );
        assert_eq!(
            without_credentials("smtp://127.0.0.1:2525"),
            "smtp://127.0.0.1:2525"
        );
    }

    // The SMTP pool is built on the runtime.
    #[tokio::test]
    async fn bad_settings_are_named() {
        let settings = |from: &str, url: Option<&str>| MailSettings {
            smtp_url: url.map(|u| SecretString::from(u.to_owned())),
            from: from.into(),
            outbox_dir: PathBuf::from("/tmp"),
        };
        let error = Mailer::new(&settings("not a mailbox", None))
            .err()
            .unwrap_or_default();
        assert!(error.contains("mail.from"), "{error}");
        let error = Mailer::new(&settings("gmao <a@b.fr>", Some("ftp://nowhere")))
            .err()
            .unwrap_or_default();
        assert!(error.contains("mail.smtp_url"), "{error}");
        assert!(Mailer::new(&settings("gmao <a@b.fr>", Some("smtp://127.0.0.1:2525"))).is_ok());
    }

    #[tokio::test]
    async fn without_a_server_mails_are_written_as_eml_files() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mailer = Mailer::new(&MailSettings {
            smtp_url: None,
            from: "gmao <no-reply@gmao.example>".into(),
            outbox_dir: dir.path().join("outbox"),
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let id = Uuid::now_v7();
        let delivery = mailer
            .send(&Outgoing {
                id,
                to: "anne@usine.fr",
                subject: "Invitation à Fonderie",
                text: "Bonjour,\nhttps://gmao.example/invitation?token=x",
                html: "<p>Bonjour,</p>",
                action_url: Some("https://gmao.example/invitation?token=x"),
                attachment: None,
                unsubscribe_url: None,
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let Delivery::Written(path) = delivery else {
            panic!("not written: {delivery:?}");
        };
        let eml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            eml.contains(&format!("Message-ID: <{}@gmao>", id.simple())),
            "{eml}"
        );
        assert!(eml.contains("To: anne@usine.fr"), "{eml}");
        assert!(eml.contains("multipart/alternative"), "{eml}");
        assert!(!eml.contains("multipart/mixed"), "{eml}");
        // A report: the file attached, and the unsubscribe link in the headers.
        let with_file = mailer
            .send(&Outgoing {
                id: Uuid::now_v7(),
                to: "direction@usine.fr",
                subject: "Indicateurs de novembre",
                text: "MTBF 120 h",
                html: "<p>MTBF 120 h</p>",
                action_url: None,
                attachment: Some((
                    "indicateurs-2026-11.csv",
                    "text/csv; charset=utf-8",
                    b"a,b\n1,2\n",
                )),
                unsubscribe_url: Some("https://gmao.example/api/v1/report-unsubscribe?token=t"),
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let Delivery::Written(path) = with_file else {
            panic!("not written: {with_file:?}");
        };
        let eml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(eml.contains("multipart/mixed"), "{eml}");
        assert!(
            eml.contains("filename=\"indicateurs-2026-11.csv\""),
            "{eml}"
        );
        assert!(
            eml.contains(
                "List-Unsubscribe: <https://gmao.example/api/v1/report-unsubscribe?token=t>"
            ),
            "{eml}"
        );
        assert!(
            eml.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
            "{eml}"
        );
        let refused = mailer
            .send(&Outgoing {
                id,
                to: "not an address",
                subject: "x",
                text: "x",
                html: "x",
                action_url: None,
                attachment: None,
                unsubscribe_url: None,
            })
            .await;
        assert!(
            matches!(refused, Err(SendError::Permanent(_))),
            "{refused:?}"
        );
    }
}
