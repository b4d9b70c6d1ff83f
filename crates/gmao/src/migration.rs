//! Migrating the database with visible progress: a bar on a terminal, log lines otherwise.

use std::io::IsTerminal;
use std::sync::Mutex;

use gmao_db::PgPool;
use gmao_db::migrate::{self, MigrateAllOptions, MigrationReport, Progress, TenantOutcome};
use indicatif::{ProgressBar, ProgressStyle};

/// Migrates the control plane and the job queue, then every tenant.
pub async fn migrate_all(pool: &PgPool, concurrency: usize) -> anyhow::Result<MigrationReport> {
    migrate::migrate_public(pool).await?;
    // The queue belongs to the schema as much as the control plane: the API reads it (a
    // company's failed jobs) and enqueues into it, with or without a worker in this process.
    gmao_workers::setup(pool).await?;
    let bar: Mutex<Option<ProgressBar>> = Mutex::new(None);
    let interactive = std::io::stderr().is_terminal();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let progress = |event: Progress<'_>| match event {
        Progress::Started { total } => {
            tracing::info!(tenants = total, "migrating tenants");
            if interactive && total > 0 {
                let b = ProgressBar::new(total as u64);
                b.set_style(
                    ProgressStyle::with_template("{bar:40} {pos}/{len} tenants {msg} ({eta})")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                if let Ok(mut slot) = bar.lock() {
                    *slot = Some(b);
                }
            }
        }
        Progress::Tenant(t) => {
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            match &t.outcome {
                TenantOutcome::Failed { error } => {
                    tracing::error!(tenant = %t.slug, %error, "tenant migration failed")
                }
                TenantOutcome::Migrated { from, to } => {
                    tracing::debug!(tenant = %t.slug, ?from, to, "tenant migrated")
                }
                TenantOutcome::Current { .. } => {}
            }
            if let Ok(slot) = bar.lock() {
                match slot.as_ref() {
                    Some(b) => {
                        b.set_message(t.slug.clone());
                        b.inc(1);
                    }
                    None if n.is_multiple_of(100) => {
                        tracing::info!(done = n, "tenants migrated so far")
                    }
                    None => {}
                }
            }
        }
    };
    let report = migrate::migrate_tenants(
        pool,
        &MigrateAllOptions {
            concurrency,
            only: None,
        },
        &progress,
    )
    .await?;
    if let Ok(mut slot) = bar.lock()
        && let Some(b) = slot.take()
    {
        b.finish_and_clear();
    }
    tracing::info!(
        migrated = report.migrated_count(),
        current = report.current_count(),
        failed = report.failed().count(),
        version = migrate::latest_tenant_version(),
        "tenant migrations done"
    );
    Ok(report)
}
