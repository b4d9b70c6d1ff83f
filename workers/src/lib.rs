//! Background work: an apalis worker fed from PostgreSQL, and periodic triggers that only the
//! leader replica fires.
//!
//! Reading order: [`run`] wires everything; [`queue`] is how jobs are declared and enqueued
//! (idempotency keys, "already queued"); [`leader`] is the advisory-lock election; `periodic`
//! turns cron ticks into jobs on the leader; `supervise` keeps one apalis worker alive and
//! stops it gracefully; [`housekeeping`] is the first job.
//!
//! Delivery is at least once (apalis re-enqueues the jobs of a worker that went silent), and
//! leadership can briefly overlap when a connection dies, so nothing here relies on running
//! exactly once: the database makes effects exactly once (idempotency keys, unique keys of the
//! effects themselves).

use std::future::Future;
use std::time::Duration;

use anyhow::Context;
use apalis_postgres::PostgresStorage;
use sqlx::PgPool;

pub mod housekeeping;
pub mod leader;
pub mod mail;
mod periodic;
pub mod pm;
pub mod queue;
pub mod reports;
pub mod snapshots;
mod stop;
mod supervise;

pub use housekeeping::{Housekeeping, HousekeepingReport};
pub use leader::LeaderElection;
pub use queue::{Enqueued, IdempotencyKey, Job};

use crate::periodic::Periodic;
use crate::stop::Stop;

/// The advisory-lock key replicas compete for to become the leader: the bytes of "gmaolead".
/// It lies outside the 32-bit range on purpose: apalis locks `hashtext(worker id)` keys (32-bit)
/// when workers re-register, and those must never be mistaken for the leader lock.
pub const DEFAULT_LEADER_LOCK_KEY: i64 = 0x676D_616F_6C65_6164;

/// How a worker process runs. The binary fills it from its configuration.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Jobs processed at once by this process (per queue).
    pub concurrency: usize,
    /// When housekeeping is enqueued: six-field cron, seconds first, in UTC.
    pub housekeeping_cron: String,
    /// When the preventive maintenance sweep runs (six-field cron, UTC).
    pub pm_sweep_cron: String,
    /// When the leader looks for scheduled reports that are due (six-field cron, UTC).
    pub reports_cron: String,
    /// When the night's KPI snapshots are queued (six-field cron, UTC).
    pub kpi_snapshot_cron: String,
    /// The web app's address, for the links in report mails.
    pub public_url: String,
    /// Where mails go.
    pub mail: gmao_mail::MailSettings,
    /// The session advisory lock whose holder is the leader. Replicas of one installation must
    /// share it; two installations in one database must not.
    pub leader_lock_key: i64,
    /// How long in-flight jobs may take to finish at shutdown before they are abandoned and put
    /// back in the queue for another worker.
    pub shutdown_grace: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            concurrency: 4,
            // Hourly, off the top of the hour when everything else runs.
            housekeeping_cron: "0 17 * * * *".to_owned(),
            // Every five minutes.
            pm_sweep_cron: "0 */5 * * * *".to_owned(),
            // Every minute: a report goes out within a minute of its time.
            reports_cron: "30 * * * * *".to_owned(),
            // 00:10 UTC: every site's previous local day is over, in any time zone east of
            // UTC-12 (the snapshot reconstructs the day's end, whenever it runs).
            kpi_snapshot_cron: "0 10 0 * * *".to_owned(),
            public_url: "http://localhost:8080".to_owned(),
            mail: gmao_mail::MailSettings {
                smtp_url: None,
                from: "gmao <no-reply@localhost>".to_owned(),
                outbox_dir: std::path::PathBuf::from(".gmao/outbox"),
            },
            leader_lock_key: DEFAULT_LEADER_LOCK_KEY,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// Creates or migrates apalis's own schema (`apalis`, with its own migration history). Safe to
/// call from several replicas at once: sqlx serialises migrations with an advisory lock.
pub async fn setup(pool: &PgPool) -> anyhow::Result<()> {
    PostgresStorage::setup(pool)
        .await
        .context("creating or migrating the job queue (schema apalis)")
}

/// Runs the background work of this process until `shutdown` completes, then stops the
/// scheduler, steps down as leader, lets in-flight jobs finish (up to
/// [`WorkerSettings::shutdown_grace`]) and returns `Ok`.
///
/// Workers never migrate the control plane: they wait until `gmao migrate` (or `gmao serve`)
/// has done it, so that a new worker never runs against an old schema.
pub async fn run(
    pool: PgPool,
    settings: WorkerSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    // Bad settings are reported at once, not after waiting for the database.
    anyhow::ensure!(
        settings.concurrency >= 1,
        "worker concurrency must be at least 1"
    );
    periodic::validate_cron(&settings.housekeeping_cron)
        .context("worker.housekeeping_cron is not a valid six-field cron expression")?;
    periodic::validate_cron(&settings.pm_sweep_cron).context(
        "worker.pm_sweep_cron (GMAO_PM_SWEEP_CRON) is not a valid six-field cron expression",
    )?;
    periodic::validate_cron(&settings.kpi_snapshot_cron).context(
        "worker.kpi_snapshot_cron (GMAO_WORKER__KPI_SNAPSHOT_CRON) is not a valid six-field cron expression",
    )?;
    periodic::validate_cron(&settings.reports_cron).context(
        "worker.reports_cron (GMAO_WORKER__REPORTS_CRON) is not a valid six-field cron expression",
    )?;

    let mailer = std::sync::Arc::new(
        gmao_mail::Mailer::new(&settings.mail).map_err(|e| anyhow::anyhow!(e))?,
    );
    let stop = Stop::new(shutdown);
    if !wait_for_control_plane(&pool, &stop).await {
        tracing::info!("shutdown requested while waiting for the control-plane migrations");
        return Ok(());
    }
    setup(&pool).await?;

    let housekeeping_worker = housekeeping::worker_factory(pool.clone(), settings.concurrency)?;
    let leader = LeaderElection::start(&pool, settings.leader_lock_key, leader::DEFAULT_INTERVAL);
    let sweep_worker = pm::sweep_worker(pool.clone(), 1)?;
    let generation_worker = pm::generation_worker(pool.clone(), settings.concurrency)?;
    let delivery_worker =
        mail::delivery_worker(pool.clone(), mailer.clone(), settings.concurrency)?;
    let mail_sweep_worker = mail::sweep_worker(pool.clone())?;
    let report_settings = std::sync::Arc::new(reports::ReportSettings {
        public_url: settings.public_url.clone(),
    });
    let report_check_worker = reports::check_worker(pool.clone(), settings.concurrency)?;
    // Each preparation computes a period with Polars: two at a time per process at most.
    let report_delivery_worker =
        reports::delivery_worker(pool.clone(), report_settings, settings.concurrency.min(2))?;
    let snapshot_worker = snapshots::worker(pool.clone(), 1)?;
    let triggers = vec![
        reports::trigger(&settings.reports_cron),
        snapshots::trigger(&settings.kpi_snapshot_cron),
        housekeeping::trigger(&settings.housekeeping_cron),
        pm::trigger(&settings.pm_sweep_cron),
        // Every minute: retries and anything whose queueing was missed.
        mail::trigger("0 * * * * *"),
    ];
    let periodic = match Periodic::start(pool.clone(), leader.watch(), triggers).await {
        Ok(periodic) => periodic,
        Err(error) => {
            leader.stop().await;
            return Err(error);
        }
    };
    tracing::info!(
        concurrency = settings.concurrency,
        housekeeping_cron = %settings.housekeeping_cron,
        mail = %mailer.describe(),
        "worker started"
    );

    // Every queue gets its own supervised worker; they all stop on the same signal.
    let queues = [
        (<Housekeeping as Job>::QUEUE, housekeeping_worker),
        (<pm::PmSweep as Job>::QUEUE, sweep_worker),
        (<pm::PmGeneration as Job>::QUEUE, generation_worker),
        (<mail::MailDelivery as Job>::QUEUE, delivery_worker),
        (<mail::MailSweep as Job>::QUEUE, mail_sweep_worker),
        (<reports::ReportsCheck as Job>::QUEUE, report_check_worker),
        (
            <reports::ReportDelivery as Job>::QUEUE,
            report_delivery_worker,
        ),
        (<snapshots::KpiSnapshot as Job>::QUEUE, snapshot_worker),
    ];
    futures::future::join_all(queues.into_iter().map(|(queue, factory)| {
        supervise::supervise(
            pool.clone(),
            factory,
            supervise::Options {
                queue,
                grace: settings.shutdown_grace,
            },
            stop.clone(),
        )
    }))
    .await;

    // The workers only return once shutdown was requested.
    periodic.stop().await;
    leader.stop().await;
    tracing::info!("worker stopped");
    Ok(())
}

/// Polls `public_is_current` with a growing pause (up to 5 s). Answers false if shutdown was
/// requested first.
async fn wait_for_control_plane(pool: &PgPool, stop: &Stop) -> bool {
    let mut pause = Pause::new(Duration::from_millis(250), Duration::from_secs(5));
    let mut waits = 0u32;
    loop {
        let why = match gmao_db::migrate::public_is_current(pool).await {
            Ok(true) => {
                if waits > 0 {
                    tracing::info!("control-plane migrations are current; starting");
                }
                return true;
            }
            Ok(false) => "migrations pending".to_owned(),
            // Before the very first migration the history table does not exist yet.
            Err(error) => format!("{error:#}"),
        };
        let delay = pause.next_delay();
        // Say it once, then about once a minute, so a forgotten `gmao migrate` is visible
        // without flooding the log.
        if waits.is_multiple_of(12) {
            tracing::info!(
                reason = %why,
                "waiting for the control-plane migrations (run `gmao migrate`)"
            );
        } else {
            tracing::debug!(reason = %why, ?delay, "still waiting for the control-plane migrations");
        }
        waits = waits.saturating_add(1);
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = stop.wait() => return false,
        }
    }
}

/// A doubling pause between retries, capped.
#[derive(Debug, Clone)]
pub(crate) struct Pause {
    first: Duration,
    max: Duration,
    next: Duration,
}

impl Pause {
    pub(crate) fn new(first: Duration, max: Duration) -> Pause {
        Pause {
            first,
            max,
            next: first,
        }
    }

    pub(crate) fn next_delay(&mut self) -> Duration {
        let delay = self.next;
        self.next = (self.next * 2).min(self.max);
        delay
    }

    pub(crate) fn reset(&mut self) {
        self.next = self.first;
    }
}

#[cfg(test)]
// A failed unwrap is a failed test, which is what it should be.
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn pause_doubles_up_to_its_cap_and_resets() {
        let mut pause = Pause::new(Duration::from_millis(250), Duration::from_secs(5));
        let delays: Vec<_> = (0..7).map(|_| pause.next_delay().as_millis()).collect();
        assert_eq!(delays, [250, 500, 1000, 2000, 4000, 5000, 5000]);
        pause.reset();
        assert_eq!(pause.next_delay(), Duration::from_millis(250));
    }

    #[test]
    fn default_settings_are_valid() {
        let settings = WorkerSettings::default();
        assert!(settings.concurrency >= 1);
        assert!(periodic::validate_cron(&settings.housekeeping_cron).is_ok());
    }

    #[test]
    fn default_leader_key_cannot_collide_with_apalis_worker_locks() {
        assert!(i32::try_from(DEFAULT_LEADER_LOCK_KEY).is_err());
    }

    #[tokio::test]
    async fn bad_cron_is_reported_before_touching_the_database() {
        // A pool that never connects: run must fail on the settings alone.
        let pool = sqlx::postgres::PgPoolOptions::new()
            .connect_lazy("postgres://nobody@127.0.0.1:1/none")
            .expect("lazy pool");
        let settings = WorkerSettings {
            housekeeping_cron: "every hour".to_owned(),
            ..WorkerSettings::default()
        };
        let error = run(pool, settings, std::future::pending())
            .await
            .expect_err("bad cron");
        assert!(
            format!("{error:#}").contains("housekeeping_cron"),
            "{error:#}"
        );
    }
}
