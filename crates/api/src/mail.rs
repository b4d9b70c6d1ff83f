//! Mails caused by requests: rendered here, written to the outbox in the request's own
//! transaction (so a mail exists exactly when its change committed), and handed to the
//! delivery queue once that transaction has committed.

use gmao_db::outbox::{self, NewMail, Queued};
use gmao_db::sqlx::PgConnection;
use gmao_domain::Locale;
use gmao_mail::{Letter, render};
use uuid::Uuid;

use crate::error::ApiResult;
use crate::state::AppState;

/// A mail written in a transaction, to dispatch after it commits.
#[derive(Debug, Clone, Copy)]
#[must_use = "dispatch the mail once the transaction has committed"]
pub struct Written {
    queued: Option<Queued>,
    tenant_id: Option<Uuid>,
}

/// What a mail is: its kind (for operators), the event key (one event, one mail) and the
/// company it is about.
pub struct Mail<'a> {
    pub kind: &'a str,
    pub key: String,
    pub tenant_id: Option<Uuid>,
    pub to: &'a str,
    pub letter: Letter,
}

/// Writes the mail to the outbox on `conn` (inside the caller's transaction).
pub async fn write(conn: &mut PgConnection, mail: Mail<'_>) -> ApiResult<Written> {
    let rendered = render(&mail.letter);
    let action_url = mail.letter.action.as_ref().map(|a| a.url.as_str());
    let queued = outbox::enqueue(
        conn,
        NewMail {
            idempotency_key: &mail.key,
            tenant_id: mail.tenant_id,
            kind: mail.kind,
            recipient: mail.to,
            locale: mail.letter.locale.as_str(),
            subject: &rendered.subject,
            body_text: &rendered.text,
            body_html: &rendered.html,
            action_url,
            attachment: None,
            unsubscribe_url: None,
        },
    )
    .await?;
    Ok(Written {
        queued,
        tenant_id: mail.tenant_id,
    })
}

impl Written {
    /// Queues the delivery now that the transaction committed. Best effort: a failure is
    /// logged, and the worker's sweep delivers the mail anyway.
    pub async fn dispatch(self, state: &AppState) {
        let Some(queued) = self.queued else {
            return;
        };
        if let Err(error) = gmao_workers::mail::dispatch(&state.pool, queued, self.tenant_id).await
        {
            tracing::warn!(mail = %queued.id, error = %format!("{error:#}"), "mail not queued now; the sweep will send it");
        }
    }
}

/// Addresses in the web app that mails link to.
pub struct Links<'a> {
    base: &'a str,
}

impl<'a> Links<'a> {
    pub fn new(state: &'a AppState) -> Links<'a> {
        Links {
            base: state.settings.public_url.trim_end_matches('/'),
        }
    }

    pub fn login(&self) -> String {
        format!("{}/login", self.base)
    }

    pub fn verify_email(&self, token: &str) -> String {
        format!("{}/verify-email?token={token}", self.base)
    }

    pub fn reset_password(&self, token: &str) -> String {
        format!("{}/reset-password?token={token}", self.base)
    }

    pub fn forgot_password(&self) -> String {
        format!("{}/forgot-password", self.base)
    }

    pub fn invitation(&self, token: &str) -> String {
        format!("{}/invitation?token={token}", self.base)
    }
}

/// The language of a stored locale (French when unknown).
pub fn locale_of(stored: &str) -> Locale {
    Locale::parse(stored).unwrap_or_default()
}
