//! `gmao pm …`.

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use gmao_domain::TenantId;

use crate::cli::PmCommand;
use crate::config::Config;
use crate::database::Database;
use crate::migration::migrate_all;

/// Answers whether every tenant succeeded.
pub async fn run(config: Config, command: &PmCommand) -> anyhow::Result<bool> {
    let PmCommand::Generate { tenant, as_of } = command;
    let as_of = match as_of {
        None => Utc::now(),
        Some(raw) => parse_instant(raw).with_context(|| {
            format!("--as-of {raw:?}: expected YYYY-MM-DD or an RFC 3339 instant")
        })?,
    };
    let db = Database::open(&config).await?;
    let result = async {
        migrate_all(&db.pool, config.migrate_concurrency).await?;
        let mut conn = db.pool.acquire().await?;
        let tenants: Vec<(TenantId, String)> = match tenant {
            Some(slug) => {
                let found = gmao_db::tenants::find_by_slug(&mut conn, slug)
                    .await?
                    .with_context(|| format!("no tenant with slug {slug:?}"))?;
                vec![(found.tenant_id(), found.slug)]
            }
            None => gmao_db::tenants::list(&mut conn)
                .await?
                .into_iter()
                .filter(|t| t.status == "active")
                .map(|t| (t.tenant_id(), t.slug))
                .collect(),
        };
        drop(conn);
        let mut all_ok = true;
        let mut created = 0;
        for (index, (id, slug)) in tenants.iter().enumerate() {
            match gmao_workers::pm::generate_for_tenant(&db.pool, *id, as_of, None).await {
                Ok(report) => {
                    created += report.created;
                    if report.created > 0 || tenants.len() <= 20 {
                        println!(
                            "[{}/{}] {slug}: {} plan(s), {} order(s) generated",
                            index + 1,
                            tenants.len(),
                            report.plans,
                            report.created
                        );
                    }
                }
                Err(error) => {
                    all_ok = false;
                    eprintln!(
                        "[{}/{}] {slug}: failed: {error:#}",
                        index + 1,
                        tenants.len()
                    );
                }
            }
        }
        println!(
            "{created} preventive work order(s) generated as of {} across {} tenant(s).",
            as_of.to_rfc3339(),
            tenants.len()
        );
        Ok::<_, anyhow::Error>(all_ok)
    }
    .await;
    db.close().await;
    result
}

/// `YYYY-MM-DD` (start of the day, UTC) or an RFC 3339 instant.
pub(crate) fn parse_instant(raw: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Some(at.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()?
        .and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc())
}

#[cfg(test)]
mod tests {
    #[test]
    fn as_of_accepts_dates_and_instants() {
        assert_eq!(
            super::parse_instant("2026-12-01").map(|d| d.to_rfc3339()),
            Some("2026-12-01T00:00:00+00:00".into())
        );
        assert_eq!(
            super::parse_instant("2026-12-01T08:30:00+01:00").map(|d| d.to_rfc3339()),
            Some("2026-12-01T07:30:00+00:00".into())
        );
        assert_eq!(super::parse_instant("tomorrow"), None);
    }
}
