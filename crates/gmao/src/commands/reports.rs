//! `gmao reports …`.

use anyhow::Context;
use chrono::Utc;
use gmao_workers::reports::{ReportSettings, send_due};

use super::pm::parse_instant;
use crate::cli::ReportsCommand;
use crate::config::Config;
use crate::database::Database;

/// Answers whether every due report was prepared and every mail handed to the server.
pub async fn run(config: Config, command: &ReportsCommand) -> anyhow::Result<bool> {
    let ReportsCommand::SendDue { tenant, as_of } = command;
    let as_of = match as_of {
        None => Utc::now(),
        Some(raw) => parse_instant(raw).with_context(|| {
            format!("--as-of {raw:?}: expected YYYY-MM-DD or an RFC 3339 instant")
        })?,
    };
    let mailer = gmao_mail::Mailer::new(&config.mail_settings()).map_err(|e| anyhow::anyhow!(e))?;
    let db = Database::open(&config).await?;
    let result = async {
        let tenant = match tenant {
            None => None,
            Some(slug) => {
                let mut conn = db.pool.acquire().await?;
                let found = gmao_db::tenants::find_by_slug(&mut conn, slug)
                    .await?
                    .with_context(|| format!("no tenant with slug {slug:?}"))?;
                Some(found.tenant_id())
            }
        };
        let settings = ReportSettings {
            public_url: config.public_url(),
        };
        let report = send_due(&db.pool, &settings, tenant, as_of).await?;
        // The mails are in the outbox: send them now rather than wait for a worker.
        let mut sent = 0;
        let mut waiting = 0;
        for mail in &report.mails {
            match gmao_workers::mail::deliver(&db.pool, &mailer, mail.id).await? {
                gmao_workers::mail::Outcome::Sent => sent += 1,
                _ => waiting += 1,
            }
        }
        println!(
            "{} report(s) due as of {} in {} compan(y/ies): {} mail(s) sent, {} left to the outbox's retries, {} report(s) not prepared.",
            report.deliveries,
            as_of.to_rfc3339(),
            report.companies,
            sent,
            waiting,
            report.failed
        );
        Ok::<_, anyhow::Error>(report.failed == 0 && waiting == 0)
    }
    .await;
    db.close().await;
    result
}
