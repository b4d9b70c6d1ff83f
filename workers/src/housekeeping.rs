//! Housekeeping: deletes what nothing needs any more, so that tables stay small.
//!
//! - sessions expired or revoked a week ago (kept a while to explain a recent logout);
//! - attempt budgets that are whole again (`public.throttles`: nothing left to remember);
//! - mailed links expired a day ago, and mails sent a month ago (their bodies are gone
//!   already: what is left says who was sent what, when);
//! - finished jobs older than a week. apalis never deletes jobs, and a job's idempotency key
//!   stays taken as long as its row exists;
//! - apalis worker registrations silent for a week and no longer referenced by any job (each
//!   worker run registers under a new name).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use apalis::prelude::{BoxDynError, Data};
use chrono::{DateTime, Utc};
use futures::FutureExt;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use crate::periodic::Trigger;
use crate::queue::{self, Enqueued, IdempotencyKey, Job};
use crate::supervise::WorkerFactory;

/// Sessions expired or revoked for longer than this are deleted.
pub const KEEP_SESSIONS: chrono::Duration = chrono::Duration::days(7);
/// Sent mails older than this are deleted.
pub const KEEP_SENT_MAILS: chrono::Duration = chrono::Duration::days(30);
/// Finished jobs (done, killed, failed for good) older than this are deleted, which frees their
/// idempotency keys.
pub const KEEP_FINISHED_JOBS: chrono::Duration = chrono::Duration::days(7);

/// The job: one housekeeping pass, for the tick that asked for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Housekeeping {
    /// The scheduled minute; it also makes the idempotency key.
    pub tick: DateTime<Utc>,
}

impl Job for Housekeeping {
    const QUEUE: &'static str = "housekeeping";
    const MAX_ATTEMPTS: usize = 3;
    const TIMEOUT: Duration = Duration::from_secs(10 * 60);
}

impl Housekeeping {
    pub fn idempotency_key(&self) -> IdempotencyKey {
        IdempotencyKey::for_tick(Self::QUEUE, self.tick)
    }
}

/// What one pass deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HousekeepingReport {
    pub sessions_pruned: u64,
    pub throttles_pruned: u64,
    pub links_pruned: u64,
    pub mails_pruned: u64,
    pub jobs_pruned: u64,
}

/// One housekeeping pass. Each step stands alone (no shared transaction): a pass interrupted
/// half-way leaves nothing inconsistent, and the next one finishes the work.
pub async fn run_once(pool: &PgPool) -> anyhow::Result<HousekeepingReport> {
    let mut conn = pool
        .acquire()
        .await
        .context("housekeeping: acquiring a connection")?;
    let sessions_pruned = gmao_db::sessions::prune(&mut conn, KEEP_SESSIONS)
        .await
        .context("housekeeping: pruning sessions")?;
    let throttles_pruned = gmao_db::throttle::prune(&mut conn)
        .await
        .context("housekeeping: pruning attempt budgets")?;
    let links_pruned = gmao_db::email_tokens::prune(&mut conn)
        .await
        .context("housekeeping: pruning mailed links")?;
    let mails_pruned = gmao_db::outbox::prune(&mut conn, KEEP_SENT_MAILS)
        .await
        .context("housekeeping: pruning sent mails")?;
    let jobs_pruned = sqlx::query(
        "DELETE FROM apalis.jobs
         WHERE (status IN ('Done', 'Killed') OR (status = 'Failed' AND attempts >= max_attempts))
           AND coalesce(done_at, run_at) < now() - $1",
    )
    .bind(KEEP_FINISHED_JOBS)
    .execute(&mut *conn)
    .await
    .context("housekeeping: pruning finished jobs")?
    .rows_affected();
    // Jobs keep the name of the worker that ran them (a foreign key), so a worker goes only
    // once its jobs have.
    let workers_pruned = sqlx::query(
        "DELETE FROM apalis.workers AS w
         WHERE w.last_seen < now() - $1
           AND NOT EXISTS (SELECT 1 FROM apalis.jobs AS j WHERE j.lock_by = w.id)",
    )
    .bind(KEEP_FINISHED_JOBS)
    .execute(&mut *conn)
    .await
    .context("housekeeping: pruning silent workers")?
    .rows_affected();
    if workers_pruned > 0 {
        tracing::debug!(workers_pruned, "housekeeping: silent workers forgotten");
    }
    Ok(HousekeepingReport {
        sessions_pruned,
        throttles_pruned,
        links_pruned,
        mails_pruned,
        jobs_pruned,
    })
}

/// The apalis handler.
async fn handle(job: Housekeeping, pool: Data<PgPool>) -> Result<(), BoxDynError> {
    match run_once(&pool).await {
        Ok(report) => {
            tracing::info!(
                tick = %job.tick,
                sessions_pruned = report.sessions_pruned,
                throttles_pruned = report.throttles_pruned,
                links_pruned = report.links_pruned,
                mails_pruned = report.mails_pruned,
                jobs_pruned = report.jobs_pruned,
                "housekeeping done"
            );
            Ok(())
        }
        Err(error) => {
            let error = format!("{error:#}");
            tracing::warn!(tick = %job.tick, %error, "housekeeping failed");
            // apalis stores the error's Display in `last_result`: give it the whole cause
            // chain, not just the outermost context.
            Err(error.into())
        }
    }
}

/// The periodic trigger: on each tick of `cron`, queue one pass for that minute.
pub(crate) fn trigger(cron: &str) -> Trigger {
    Trigger {
        name: Housekeeping::QUEUE,
        cron: cron.to_owned(),
        fire: Arc::new(|pool, tick| {
            async move {
                let job = Housekeeping { tick };
                let key = job.idempotency_key();
                let mut storage = queue::storage::<Housekeeping>(&pool);
                // A duplicate is logged (at debug) by enqueue: another replica was first.
                if queue::enqueue(&mut storage, job, &key).await? == Enqueued::Queued {
                    tracing::info!(%key, "housekeeping queued");
                }
                Ok(())
            }
            .boxed()
        }),
    }
}

/// Builds the worker of the housekeeping queue (called again for each restart).
pub(crate) fn worker_factory(pool: PgPool, concurrency: usize) -> anyhow::Result<WorkerFactory> {
    crate::supervise::factory::<Housekeeping, PgPool>(
        pool.clone(),
        concurrency,
        pool,
        |job, pool| handle(job, pool).boxed(),
    )
}
