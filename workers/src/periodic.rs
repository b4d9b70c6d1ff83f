//! Periodic triggers: tokio-cron-scheduler runs in every replica, but a tick only enqueues work
//! on the leader. Neither the scheduler nor apalis elects a leader by itself.
//!
//! A trigger only enqueues (with an idempotency key); the work itself runs in whichever worker
//! fetches the job, so a slow job never delays the schedule, and a tick that fires twice
//! (leadership changing hands within the minute) queues one job.

use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use sqlx::PgPool;
use tokio::sync::{RwLock, watch};
use tokio_cron_scheduler::{Job as CronJob, JobScheduler};

use crate::queue::scheduled_minute;

/// Enqueues the work of one tick (the tick already truncated to its minute).
pub(crate) type Fire =
    Arc<dyn Fn(PgPool, DateTime<Utc>) -> BoxFuture<'static, anyhow::Result<()>> + Send + Sync>;

/// Something to enqueue on a schedule, on the leader only.
pub(crate) struct Trigger {
    /// For logs.
    pub name: &'static str,
    /// Six-field cron (seconds first), UTC.
    pub cron: String,
    pub fire: Fire,
}

/// Checks a cron expression the way the scheduler will parse it.
pub(crate) fn validate_cron(cron: &str) -> anyhow::Result<()> {
    CronJob::new_async(cron, |_, _| Box::pin(async {}))
        .map(drop)
        .map_err(|error| {
            anyhow::anyhow!("cannot parse {cron:?} ({error}); expected e.g. \"0 17 * * * *\"")
        })
}

/// The running scheduler.
pub(crate) struct Periodic {
    scheduler: JobScheduler,
    /// Ticks hold it for reading while they enqueue; stopping takes it for writing, which waits
    /// for a tick in progress and turns later ones away.
    open: Arc<RwLock<bool>>,
}

impl Periodic {
    pub(crate) async fn start(
        pool: PgPool,
        leader: watch::Receiver<bool>,
        triggers: Vec<Trigger>,
    ) -> anyhow::Result<Periodic> {
        let mut scheduler = JobScheduler::new()
            .await
            .context("creating the cron scheduler")?;
        let open = Arc::new(RwLock::new(true));
        for trigger in triggers {
            let job = cron_job(pool.clone(), leader.clone(), open.clone(), trigger)?;
            if let Err(error) = scheduler.add(job).await {
                let _ = scheduler.shutdown().await;
                return Err(anyhow::anyhow!(
                    "adding a periodic trigger to the scheduler: {error}"
                ));
            }
        }
        if let Err(error) = scheduler.start().await {
            let _ = scheduler.shutdown().await;
            return Err(anyhow::anyhow!("starting the cron scheduler: {error}"));
        }
        Ok(Periodic { scheduler, open })
    }

    /// Stops firing; returns once no tick is enqueueing any more.
    pub(crate) async fn stop(mut self) {
        *self.open.write().await = false;
        if let Err(error) = self.scheduler.shutdown().await {
            tracing::warn!(%error, "stopping the cron scheduler");
        }
    }
}

fn cron_job(
    pool: PgPool,
    leader: watch::Receiver<bool>,
    open: Arc<RwLock<bool>>,
    trigger: Trigger,
) -> anyhow::Result<CronJob> {
    let Trigger { name, cron, fire } = trigger;
    CronJob::new_async(cron.as_str(), move |_id, _scheduler| {
        let (pool, leader, open, fire) = (pool.clone(), leader.clone(), open.clone(), fire.clone());
        Box::pin(async move {
            let open = open.read().await;
            if !*open {
                return;
            }
            if !*leader.borrow() {
                tracing::debug!(
                    trigger = name,
                    "tick skipped: this replica is not the leader"
                );
                return;
            }
            let tick = scheduled_minute(Utc::now());
            match fire(pool, tick).await {
                Ok(()) => {}
                // The next tick tries again; a missed one is not worth more than a log line.
                Err(error) => tracing::error!(
                    trigger = name,
                    %tick,
                    error = %format!("{error:#}"),
                    "periodic trigger failed to enqueue"
                ),
            }
        })
    })
    .map_err(|error| anyhow::anyhow!("invalid cron {cron:?} for {name}: {error}"))
}
