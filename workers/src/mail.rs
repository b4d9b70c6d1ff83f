//! Mail delivery: one job per attempt at one outbox row, queued right after the transaction
//! that wrote the mail commits, and by a sweep on the leader every minute for what is due
//! again (a retry) or was never queued (a crash between commit and queueing).
//!
//! Exactly one message per outbox row: the row is *claimed* (pending → sending) in a statement
//! of its own before anything is sent, so two jobs for one row cannot both send; a failure
//! puts it back with a back-off; a claim left by a dead worker is taken back after ten minutes
//! (the receiving server may then see the message twice, with one `Message-ID`).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use apalis::prelude::{BoxDynError, Data};
use chrono::{DateTime, Utc};
use futures::FutureExt;
use gmao_db::outbox::{self, Queued};
use gmao_mail::{Mailer, Outgoing, SendError};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::periodic::Trigger;
use crate::queue::{self, Enqueued, IdempotencyKey, Job};
use crate::supervise::WorkerFactory;

/// One attempt at delivering one mail of the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailDelivery {
    pub mail_id: Uuid,
    /// The company the mail is about, if any (so its administrators see the job).
    pub tenant_id: Option<Uuid>,
}

impl Job for MailDelivery {
    const QUEUE: &'static str = "mail";
    // Retries here only cover the database; sending is retried by the outbox's own schedule.
    const MAX_ATTEMPTS: usize = 3;
    const TIMEOUT: Duration = Duration::from_secs(2 * 60);
}

/// Every minute on the leader: take back interrupted deliveries, queue what is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSweep {
    pub tick: DateTime<Utc>,
}

impl Job for MailSweep {
    const QUEUE: &'static str = "mail_sweep";
    const MAX_ATTEMPTS: usize = 3;
    const TIMEOUT: Duration = Duration::from_secs(5 * 60);
}

/// Attempts at one mail before it is failed for good: with the back-off below, about two days.
pub const MAX_ATTEMPTS: i32 = 16;

/// A delivery claimed this long ago and never recorded was interrupted.
pub const STUCK_AFTER: chrono::Duration = chrono::Duration::minutes(10);

/// The wait after the `attempt`-th failure: one minute, doubling, at most six hours.
pub fn backoff(attempt: i32) -> chrono::Duration {
    let doublings = u32::try_from(attempt.saturating_sub(1).clamp(0, 16)).unwrap_or(0);
    let minutes = 1i64.checked_shl(doublings).unwrap_or(i64::MAX).min(6 * 60);
    chrono::Duration::minutes(minutes)
}

/// What one attempt did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Not pending or not due: delivered already, being delivered, or waiting its turn.
    NotDue,
    /// Failed; tried again at this time.
    WillRetry(DateTime<Utc>),
    /// Failed for good (refused by the server, or out of attempts).
    Failed,
}

/// Makes one attempt at mail `id`, if it is due. Sending happens with no transaction open.
pub async fn deliver(pool: &PgPool, mailer: &Mailer, id: Uuid) -> anyhow::Result<Outcome> {
    let claimed = {
        let mut conn = pool.acquire().await.context("claiming a mail")?;
        outbox::claim(&mut conn, id)
            .await
            .context("claiming a mail")?
    };
    let Some(mail) = claimed else {
        return Ok(Outcome::NotDue);
    };
    let sent = mailer
        .send(&Outgoing {
            id: mail.id,
            to: &mail.recipient,
            subject: &mail.subject,
            text: &mail.body_text,
            html: &mail.body_html,
            action_url: mail.action_url.as_deref(),
            attachment: match (
                &mail.attachment_name,
                &mail.attachment_type,
                &mail.attachment,
            ) {
                (Some(name), Some(content_type), Some(bytes)) => {
                    Some((name.as_str(), content_type.as_str(), bytes.as_slice()))
                }
                _ => None,
            },
            unsubscribe_url: mail.unsubscribe_url.as_deref(),
        })
        .await;
    let mut conn = pool.acquire().await.context("recording a delivery")?;
    let outcome = match sent {
        Ok(_) => {
            outbox::sent(&mut conn, id).await?;
            Outcome::Sent
        }
        Err(SendError::Transient(error)) if mail.attempts < MAX_ATTEMPTS => {
            let retry_at = Utc::now() + backoff(mail.attempts);
            tracing::warn!(mail = %id, attempt = mail.attempts, %error, %retry_at, "mail not delivered; it will be retried");
            outbox::attempt_failed(&mut conn, id, &error, Some(retry_at)).await?;
            Outcome::WillRetry(retry_at)
        }
        Err(error) => {
            tracing::error!(mail = %id, attempt = mail.attempts, %error, "mail failed for good");
            outbox::attempt_failed(&mut conn, id, &error.to_string(), None).await?;
            Outcome::Failed
        }
    };
    Ok(outcome)
}

/// What [`deliver_due`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub will_retry: usize,
    pub failed: usize,
}

/// Delivers every due mail, in this task (tests and the command line drain the outbox so).
pub async fn deliver_due(pool: &PgPool, mailer: &Mailer) -> anyhow::Result<DeliveryReport> {
    let mut report = DeliveryReport::default();
    loop {
        let due = {
            let mut conn = pool.acquire().await?;
            outbox::due(&mut conn, 100).await?
        };
        if due.is_empty() {
            return Ok(report);
        }
        for mail in due {
            match deliver(pool, mailer, mail.id).await? {
                Outcome::Sent => report.sent += 1,
                Outcome::WillRetry(_) => report.will_retry += 1,
                Outcome::Failed => report.failed += 1,
                Outcome::NotDue => {}
            }
        }
    }
}

/// Queues the delivery of a mail whose transaction committed. Best effort: the sweep queues
/// whatever this misses.
pub async fn dispatch(
    pool: &PgPool,
    mail: Queued,
    tenant_id: Option<Uuid>,
) -> anyhow::Result<Enqueued> {
    let mut storage = queue::storage::<MailDelivery>(pool);
    let key = IdempotencyKey::for_event(&mail.job_key());
    queue::enqueue(
        &mut storage,
        MailDelivery {
            mail_id: mail.id,
            tenant_id,
        },
        &key,
    )
    .await
}

async fn handle_delivery(job: MailDelivery, shared: Data<MailShared>) -> Result<(), BoxDynError> {
    match deliver(&shared.pool, &shared.mailer, job.mail_id).await {
        Ok(_) => Ok(()),
        Err(error) => {
            let error = format!("{error:#}");
            tracing::warn!(mail = %job.mail_id, %error, "mail delivery failed");
            Err(error.into())
        }
    }
}

async fn handle_sweep(job: MailSweep, pool: Data<PgPool>) -> Result<(), BoxDynError> {
    let queued = sweep(&pool).await.map_err(|e| format!("{e:#}"))?;
    if queued > 0 {
        tracing::info!(tick = %job.tick, queued, "mail deliveries queued");
    }
    Ok(())
}

/// Takes back interrupted deliveries and queues a job for each due mail.
pub async fn sweep(pool: &PgPool) -> anyhow::Result<usize> {
    let due = {
        let mut conn = pool.acquire().await?;
        let reclaimed = outbox::reclaim_stuck(&mut conn, STUCK_AFTER).await?;
        if reclaimed > 0 {
            tracing::warn!(reclaimed, "interrupted mail deliveries put back in line");
        }
        outbox::due(&mut conn, 1000).await?
    };
    let mut queued = 0;
    for mail in due {
        if dispatch(pool, mail, None).await? == Enqueued::Queued {
            queued += 1;
        }
    }
    Ok(queued)
}

/// What delivery jobs share.
#[derive(Clone)]
pub(crate) struct MailShared {
    pub pool: PgPool,
    pub mailer: Arc<Mailer>,
}

pub(crate) fn trigger(cron: &str) -> Trigger {
    Trigger {
        name: MailSweep::QUEUE,
        cron: cron.to_owned(),
        fire: Arc::new(|pool, tick| {
            async move {
                let job = MailSweep { tick };
                let key = IdempotencyKey::for_tick(MailSweep::QUEUE, tick);
                let mut storage = queue::storage::<MailSweep>(&pool);
                queue::enqueue(&mut storage, job, &key).await?;
                Ok(())
            }
            .boxed()
        }),
    }
}

pub(crate) fn delivery_worker(
    pool: PgPool,
    mailer: Arc<Mailer>,
    concurrency: usize,
) -> anyhow::Result<WorkerFactory> {
    let shared = MailShared {
        pool: pool.clone(),
        mailer,
    };
    crate::supervise::factory::<MailDelivery, MailShared>(
        pool,
        concurrency,
        shared,
        |job, shared| handle_delivery(job, shared).boxed(),
    )
}

pub(crate) fn sweep_worker(pool: PgPool) -> anyhow::Result<WorkerFactory> {
    crate::supervise::factory::<MailSweep, PgPool>(pool.clone(), 1, pool, |job, pool| {
        handle_sweep(job, pool).boxed()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_a_minute_up_to_six_hours() {
        let minutes: Vec<i64> = (1..=12).map(|n| backoff(n).num_minutes()).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360, 360]);
        assert_eq!(backoff(0).num_minutes(), 1);
        assert_eq!(backoff(i32::MAX).num_minutes(), 360);
        // All attempts span about two days.
        let total: i64 = (1..MAX_ATTEMPTS).map(|n| backoff(n).num_minutes()).sum();
        assert!((24 * 60..=48 * 60).contains(&total), "{total} minutes");
    }
}
