//! `gmao worker`: background jobs only.

use crate::config::Config;
use crate::database::Database;
use crate::shutdown::Shutdown;

pub fn settings(config: &Config) -> gmao_workers::WorkerSettings {
    gmao_workers::WorkerSettings {
        concurrency: config.worker.concurrency,
        housekeeping_cron: config.worker.housekeeping_cron.clone(),
        reports_cron: config.worker.reports_cron.clone(),
        kpi_snapshot_cron: config.worker.kpi_snapshot_cron.clone(),
        public_url: config.public_url(),
        pm_sweep_cron: config.pm_sweep_cron.clone(),
        shutdown_grace: std::time::Duration::from_secs(config.shutdown_grace_secs),
        mail: config.mail_settings(),
        ..Default::default()
    }
}

pub async fn run(config: Config) -> anyhow::Result<()> {
    let shutdown = Shutdown::new();
    shutdown.on_signals();
    let db = Database::open(&config).await?;
    let supervision = db.supervise(&shutdown);
    let result = gmao_workers::run(db.pool.clone(), settings(&config), shutdown.wait()).await;
    db.close().await;
    match supervision.failure() {
        Some(reason) => Err(anyhow::anyhow!(reason)),
        None => result,
    }
}
