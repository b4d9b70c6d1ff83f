//! The mail outbox (`public.mail_outbox`): every mail is a row written in the transaction of
//! the change that causes it, so a mail exists if and only if its change committed. A
//! background job delivers it: it *claims* the row (pending → sending) in a statement of its
//! own, sends with no transaction open, then records the outcome; a failure waits its turn
//! (back-off) and a row left `sending` by a crashed worker is taken back after a while.
//! The idempotency key makes one message of one event: enqueueing it again is a no-op.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Result;

/// A mail to write.
#[derive(Debug, Clone, Copy)]
pub struct NewMail<'a> {
    /// One event, one message: `invitation:<id>:<sent_count>`, `password-reset:<token>`…
    pub idempotency_key: &'a str,
    pub tenant_id: Option<Uuid>,
    /// What it is (`verify_email`, `invitation`…), for operators.
    pub kind: &'a str,
    pub recipient: &'a str,
    pub locale: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
    pub action_url: Option<&'a str>,
    /// One file to attach (a scheduled report).
    pub attachment: Option<Attachment<'a>>,
    /// Where an outside recipient stops receiving this kind of mail (List-Unsubscribe).
    pub unsubscribe_url: Option<&'a str>,
}

/// A file a mail carries.
#[derive(Debug, Clone, Copy)]
pub struct Attachment<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// A mail written, and when it is due (with its id, the key of the job that delivers it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Queued {
    pub id: Uuid,
    pub due_at: DateTime<Utc>,
}

impl Queued {
    /// The key of the job for this attempt: a mail put back in line gets a new one.
    pub fn job_key(&self) -> String {
        format!(
            "mail:{}:{}",
            self.id.simple(),
            self.due_at.timestamp_micros()
        )
    }
}

/// Writes a mail; answers it, or `None` when that key was written already.
pub async fn enqueue(conn: &mut PgConnection, mail: NewMail<'_>) -> Result<Option<Queued>> {
    Ok(sqlx::query_as(
        "INSERT INTO public.mail_outbox
            (id, idempotency_key, tenant_id, kind, recipient, locale, subject, body_text,
             body_html, action_url, attachment_name, attachment_type, attachment, unsubscribe_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id, next_attempt_at AS due_at",
    )
    .bind(Uuid::now_v7())
    .bind(mail.idempotency_key)
    .bind(mail.tenant_id)
    .bind(mail.kind)
    .bind(mail.recipient)
    .bind(mail.locale)
    .bind(mail.subject)
    .bind(mail.body_text)
    .bind(mail.body_html)
    .bind(mail.action_url)
    .bind(mail.attachment.map(|a| a.name))
    .bind(mail.attachment.map(|a| a.content_type))
    .bind(mail.attachment.map(|a| a.bytes))
    .bind(mail.unsubscribe_url)
    .fetch_optional(conn)
    .await?)
}

/// A mail claimed for delivery.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: Uuid,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub action_url: Option<String>,
    pub attachment_name: Option<String>,
    pub attachment_type: Option<String>,
    pub attachment: Option<Vec<u8>>,
    pub unsubscribe_url: Option<String>,
    /// This attempt's number, from 1.
    pub attempts: i32,
}

/// Takes a due, pending mail for delivery (status `sending`, one more attempt). `None` when it
/// is not pending or not due: sent already, claimed by another worker, or waiting its turn.
pub async fn claim(conn: &mut PgConnection, id: Uuid) -> Result<Option<Claimed>> {
    Ok(sqlx::query_as(
        "UPDATE public.mail_outbox
         SET status = 'sending', attempts = attempts + 1, claimed_at = now()
         WHERE id = $1 AND status = 'pending' AND next_attempt_at <= now()
         RETURNING id, recipient, subject, coalesce(body_text, '') AS body_text,
                   coalesce(body_html, '') AS body_html, action_url, attachment_name,
                   attachment_type, attachment, unsubscribe_url, attempts",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Records a delivery and forgets the bodies (they may hold single-use links) and the file.
pub async fn sent(conn: &mut PgConnection, id: Uuid) -> Result<()> {
    sqlx::query(
        "UPDATE public.mail_outbox
         SET status = 'sent', sent_at = now(), last_error = NULL, body_text = NULL,
             body_html = NULL, action_url = NULL, attachment = NULL, unsubscribe_url = NULL
         WHERE id = $1",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a failed attempt: tried again at `retry_at`, or failed for good without one.
pub async fn attempt_failed(
    conn: &mut PgConnection,
    id: Uuid,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<()> {
    let error: String = error.chars().take(2000).collect();
    sqlx::query(
        "UPDATE public.mail_outbox
         SET status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
             next_attempt_at = coalesce($3, next_attempt_at),
             last_error = $2, claimed_at = NULL
         WHERE id = $1",
    )
    .bind(id)
    .bind(&error)
    .bind(retry_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Mails due for an attempt, oldest first.
pub async fn due(conn: &mut PgConnection, limit: i64) -> Result<Vec<Queued>> {
    Ok(sqlx::query_as(
        "SELECT id, next_attempt_at AS due_at FROM public.mail_outbox
         WHERE status = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at
         LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Puts back mails whose delivery was claimed more than `after` ago and never recorded (the
/// worker died mid-send). The receiving server may have got them: the stable `Message-ID`
/// lets it tell.
pub async fn reclaim_stuck(conn: &mut PgConnection, after: Duration) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE public.mail_outbox
         SET status = 'pending', claimed_at = NULL,
             last_error = 'Re-queued: its delivery was interrupted.'
         WHERE status = 'sending' AND claimed_at < now() - $1",
    )
    .bind(after)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// A mail as operators list it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub id: Uuid,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// The most recent mails, of one status when given.
pub async fn list(
    conn: &mut PgConnection,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<Listed>> {
    Ok(sqlx::query_as(
        "SELECT id, kind, recipient, subject, status, attempts, last_error, created_at,
                next_attempt_at, sent_at
         FROM public.mail_outbox
         WHERE $1::text IS NULL OR status = $1
         ORDER BY created_at DESC
         LIMIT $2",
    )
    .bind(status)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Mails by status, for metrics.
pub async fn counts(conn: &mut PgConnection) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT status, count(*) FROM public.mail_outbox GROUP BY status ORDER BY status",
    )
    .fetch_all(conn)
    .await?)
}

/// Puts a failed mail back in line, for an operator who fixed the cause.
pub async fn retry(conn: &mut PgConnection, id: Uuid) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE public.mail_outbox
         SET status = 'pending', next_attempt_at = now(), attempts = 0
         WHERE id = $1 AND status = 'failed'",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes sent mails written more than `keep` ago.
pub async fn prune(conn: &mut PgConnection, keep: Duration) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM public.mail_outbox WHERE status = 'sent' AND created_at < now() - $1",
    )
    .bind(keep)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
