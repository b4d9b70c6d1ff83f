//! How jobs are declared, queued and given back: the one place that knows how apalis-postgres
//! stores them.
//!
//! Every job we enqueue carries an idempotency key. apalis keeps `UNIQUE (job_type,
//! idempotency_key)` whatever the job's state and answers a duplicate with a unique violation
//! (SQLSTATE 23505); [`enqueue`] turns that into [`Enqueued::AlreadyQueued`], because a second
//! replica (or a retried tick) asking for the same job is normal, not an error. Keys are freed
//! when housekeeping deletes finished jobs.

use std::fmt;
use std::time::Duration;

use anyhow::Context;
use apalis::prelude::{TaskBuilder, TaskSink, TaskSinkError};
use apalis_postgres::{Config, PostgresStorage};
use chrono::{DateTime, DurationRound, SecondsFormat, TimeDelta, Utc};
use gmao_domain::TenantId;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::PgPool;

/// A kind of background job: its payload is stored as JSON in `apalis.jobs`.
pub trait Job: Serialize + DeserializeOwned + Clone + Send + Sync + Unpin + 'static {
    /// The apalis queue (the `job_type` column), also the first part of idempotency keys.
    /// Renaming it orphans jobs already queued under the old name.
    const QUEUE: &'static str;
    /// Runs allowed for one job, retries included, before it is failed for good.
    const MAX_ATTEMPTS: usize;
    /// How long one run may take before it counts as failed (and is retried).
    const TIMEOUT: Duration;
}

/// How often an idle worker looks for new jobs (apalis polls on each heartbeat), and how fast a
/// dead worker's jobs go back to the queue (after [`MISSED_HEARTBEATS`] silent beats).
pub const HEARTBEAT: Duration = Duration::from_secs(5);
/// See [`HEARTBEAT`]: a worker silent for 30 s is considered dead.
pub const MISSED_HEARTBEATS: usize = 6;

/// The apalis storage of one queue, on the shared pool.
pub fn storage<J: Job>(pool: &PgPool) -> PostgresStorage<J> {
    PostgresStorage::new(pool).with_config(config::<J>(1))
}

/// Queue configuration for a worker processing `concurrency` jobs at once.
pub(crate) fn config<J: Job>(concurrency: usize) -> Config {
    Config::default()
        .queue(J::QUEUE)
        // Jobs fetched are locked to this worker; fetching more than it can run would keep
        // them from idle replicas.
        .batch_size(concurrency.max(1))
        .heartbeat_interval(HEARTBEAT)
        .missed_heartbeats(MISSED_HEARTBEATS)
}

/// What became of a job handed to [`enqueue`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    Queued,
    /// A job with the same idempotency key exists (queued, running or finished and not yet
    /// pruned): nothing was added.
    AlreadyQueued,
}

/// The deduplication key of a job: `job:tick` or `job:tenant:tick`, the tick truncated to the
/// minute so that replicas firing the same schedule a little apart agree on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// For work that concerns the whole installation, such as housekeeping.
    pub fn for_tick(job: &str, tick: DateTime<Utc>) -> IdempotencyKey {
        IdempotencyKey(format!("{job}:{}", minute_stamp(tick)))
    }

    /// For work done once per tenant and tick.
    pub fn for_tenant_tick(job: &str, tenant: TenantId, tick: DateTime<Utc>) -> IdempotencyKey {
        IdempotencyKey(format!("{job}:{tenant}:{}", minute_stamp(tick)))
    }

    /// For work caused by one event of a tenant (a meter reading).
    pub fn for_tenant_event(job: &str, tenant: TenantId, event: &str) -> IdempotencyKey {
        IdempotencyKey(format!("{job}:{tenant}:{event}"))
    }

    /// For an event that names itself (one attempt at one mail).
    pub fn for_event(event: &str) -> IdempotencyKey {
        IdempotencyKey(event.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The minute a tick belongs to: cron fires a few hundred milliseconds after the scheduled
/// second, at slightly different times on each replica.
pub fn scheduled_minute(at: DateTime<Utc>) -> DateTime<Utc> {
    // Only fails outside chrono's representable range; the instant itself is then the best key.
    at.duration_trunc(TimeDelta::minutes(1)).unwrap_or(at)
}

fn minute_stamp(tick: DateTime<Utc>) -> String {
    scheduled_minute(tick).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Queues `job` under `key`, with the retry budget of its kind.
pub async fn enqueue<J: Job>(
    storage: &mut PostgresStorage<J>,
    job: J,
    key: &IdempotencyKey,
) -> anyhow::Result<Enqueued> {
    let task = TaskBuilder::new(job)
        .idempotency_key(key.as_str())
        .max_attempts(J::MAX_ATTEMPTS)
        .build();
    match storage.push_task(task).await {
        Ok(()) => Ok(Enqueued::Queued),
        Err(error) if is_duplicate(&error) => {
            tracing::debug!(queue = J::QUEUE, key = %key, "job already queued");
            Ok(Enqueued::AlreadyQueued)
        }
        Err(error) => Err(anyhow::Error::new(error))
            .with_context(|| format!("queueing {} job {key}", J::QUEUE)),
    }
}

/// Whether pushing failed because the idempotency key is taken. The only other unique key of
/// `apalis.jobs` is the job id, a random ULID, so any unique violation is a duplicate key.
pub(crate) fn is_duplicate(error: &TaskSinkError<apalis_postgres::Error>) -> bool {
    match error {
        TaskSinkError::PushError(apalis_postgres::Error::Database(sqlx::Error::Database(e))) => {
            e.code().as_deref() == Some("23505")
        }
        _ => false,
    }
}

/// Puts back in the queue the jobs a stopped worker still holds: those it fetched but never
/// started, and those it was running when it was stopped or failed. apalis would eventually
/// do it through heartbeats (after [`MISSED_HEARTBEATS`]), this does it at once. Only call it
/// once the worker can no longer run them (its future was dropped or has completed).
pub(crate) async fn release_abandoned(pool: &PgPool, worker: &str) -> anyhow::Result<u64> {
    let done = sqlx::query(
        r#"UPDATE apalis.jobs
           SET status = 'Pending',
               lock_by = NULL,
               lock_at = NULL,
               done_at = NULL,
               -- an interrupted run counts, so a job that always hangs ends up failed for good
               attempts = attempts + CASE WHEN status = 'Running' THEN 1 ELSE 0 END,
               last_result = '{"Err": "Re-enqueued: its worker stopped before finishing it."}'
           WHERE lock_by = $1 AND status IN ('Queued', 'Running')"#,
    )
    .bind(worker)
    .execute(pool)
    .await
    .with_context(|| format!("releasing the jobs held by worker {worker}"))?;
    Ok(done.rows_affected())
}

#[cfg(test)]
// A failed unwrap is a failed test, which is what it should be.
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::borrow::Cow;
    use std::error::Error as StdError;

    use chrono::TimeZone;
    use sqlx::error::{DatabaseError, ErrorKind};
    use uuid::Uuid;

    use super::*;

    fn at(h: u32, m: u32, s: u32, ms: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 5, h, m, s).unwrap() + TimeDelta::milliseconds(ms.into())
    }

    #[test]
    fn tick_is_truncated_to_its_minute() {
        assert_eq!(scheduled_minute(at(14, 17, 0, 420)), at(14, 17, 0, 0));
        assert_eq!(scheduled_minute(at(14, 17, 59, 999)), at(14, 17, 0, 0));
        assert_eq!(scheduled_minute(at(14, 17, 0, 0)), at(14, 17, 0, 0));
    }

    #[test]
    fn installation_key_names_job_and_minute() {
        let key = IdempotencyKey::for_tick("housekeeping", at(14, 17, 0, 420));
        assert_eq!(key.as_str(), "housekeeping:2026-11-05T14:17:00Z");
        assert_eq!(key.to_string(), key.as_str());
    }

    #[test]
    fn replicas_firing_apart_in_the_same_minute_agree_on_the_key() {
        let a = IdempotencyKey::for_tick("housekeeping", at(14, 17, 0, 3));
        let b = IdempotencyKey::for_tick("housekeeping", at(14, 17, 1, 950));
        assert_eq!(a, b);
        let next_hour = IdempotencyKey::for_tick("housekeeping", at(15, 17, 0, 3));
        assert_ne!(a, next_hour);
    }

    #[test]
    fn tenant_key_names_job_tenant_and_minute() {
        let tenant = TenantId(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001));
        let key = IdempotencyKey::for_tenant_tick("pm", tenant, at(6, 0, 0, 12));
        assert_eq!(
            key.as_str(),
            "pm:01900000-0000-7000-8000-000000000001:2026-11-05T06:00:00Z"
        );
    }

    /// Stands in for the error PostgreSQL sends; sqlx's own type cannot be built outside sqlx.
    #[derive(Debug)]
    struct FakeDbError(&'static str);

    impl fmt::Display for FakeDbError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "database error {}", self.0)
        }
    }

    impl StdError for FakeDbError {}

    impl DatabaseError for FakeDbError {
        fn message(&self) -> &str {
            "fake"
        }
        fn code(&self) -> Option<Cow<'_, str>> {
            Some(Cow::Borrowed(self.0))
        }
        fn as_error(&self) -> &(dyn StdError + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn StdError + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn StdError + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> ErrorKind {
            match self.0 {
                "23505" => ErrorKind::UniqueViolation,
                _ => ErrorKind::Other,
            }
        }
    }

    fn push_error(code: &'static str) -> TaskSinkError<apalis_postgres::Error> {
        TaskSinkError::PushError(apalis_postgres::Error::Database(sqlx::Error::Database(
            Box::new(FakeDbError(code)),
        )))
    }

    #[test]
    fn unique_violation_means_already_queued() {
        assert!(is_duplicate(&push_error("23505")));
    }

    #[test]
    fn other_failures_are_errors() {
        // foreign key violation, connection failure, pool timeout, codec failure
        assert!(!is_duplicate(&push_error("23503")));
        assert!(!is_duplicate(&push_error("08006")));
        assert!(!is_duplicate(&TaskSinkError::PushError(
            apalis_postgres::Error::Database(sqlx::Error::PoolTimedOut)
        )));
        assert!(!is_duplicate(&TaskSinkError::CodecError("bad json".into())));
    }

    #[test]
    fn workers_fetch_no_more_than_they_can_run() {
        #[derive(Clone, Serialize, serde::Deserialize)]
        struct Probe;
        impl Job for Probe {
            const QUEUE: &'static str = "probe";
            const MAX_ATTEMPTS: usize = 1;
            const TIMEOUT: Duration = Duration::from_secs(1);
        }
        let three = config::<Probe>(3);
        assert_eq!(three.queue.as_ref(), "probe");
        assert_eq!(three.batch_size, 3);
        assert_eq!(config::<Probe>(0).batch_size, 1);
    }
}

/// A job as a company's administrators see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRecord {
    pub id: String,
    pub queue: String,
    /// apalis's status: Pending, Queued, Running, Done, Failed, Killed.
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    pub last_result: Option<serde_json::Value>,
    pub payload: serde_json::Value,
}

/// The jobs of one tenant (those whose payload names it), newest first. apalis stores payloads
/// as JSON bytes. `statuses` (apalis's own: `Pending`, `Failed`, …) keeps only those.
pub async fn tenant_jobs(
    pool: &PgPool,
    tenant: TenantId,
    statuses: Option<&[&str]>,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<JobRecord>, i64)> {
    let tenant = tenant.0.to_string();
    let total: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM apalis.jobs
         WHERE convert_from(job, 'UTF8')::jsonb->>'tenant_id' = $1 AND ($2::text[] IS NULL OR status = ANY($2))",
    )
    .bind(&tenant)
    .bind(statuses)
    .fetch_one(pool)
    .await
    .context("counting a tenant's jobs")?;
    let rows = sqlx::query_as(
        "SELECT id, job_type AS queue, status, attempts, max_attempts, run_at, done_at, last_result,
                convert_from(job, 'UTF8')::jsonb AS payload
         FROM apalis.jobs
         WHERE convert_from(job, 'UTF8')::jsonb->>'tenant_id' = $1 AND ($2::text[] IS NULL OR status = ANY($2))
         ORDER BY run_at DESC, id DESC
         LIMIT $3 OFFSET $4",
    )
    .bind(&tenant)
    .bind(statuses)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
    .context("listing a tenant's jobs")?;
    Ok((rows, total))
}

/// Jobs by queue and status, for metrics.
pub async fn counts(pool: &PgPool) -> anyhow::Result<Vec<(String, String, i64)>> {
    sqlx::query_as("SELECT job_type, status, count(*) FROM apalis.jobs GROUP BY 1, 2")
        .fetch_all(pool)
        .await
        .context("counting jobs")
}
