//! `gmao migrate`.

use gmao_db::migrate::TenantOutcome;

use crate::config::Config;
use crate::database::Database;
use crate::migration::migrate_all;

/// Answers whether every tenant migrated.
pub async fn run(config: Config) -> anyhow::Result<bool> {
    let db = Database::open(&config).await?;
    let report = migrate_all(&db.pool, config.migrate_concurrency).await;
    db.close().await;
    let report = report?;
    println!(
        "{} tenant(s): {} migrated, {} already current, {} failed (schema version {}).",
        report.tenants.len(),
        report.migrated_count(),
        report.current_count(),
        report.failed().count(),
        gmao_db::migrate::latest_tenant_version(),
    );
    for failed in report.failed() {
        if let TenantOutcome::Failed { error } = &failed.outcome {
            eprintln!("  {} ({}): {error}", failed.slug, failed.tenant_id);
        }
    }
    Ok(report.failed().count() == 0)
}
