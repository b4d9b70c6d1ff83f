//! `gmao mail …`: the outbox, for operators.

use crate::cli::MailCommand;
use crate::config::Config;
use crate::database::Database;

/// Answers false (exit status 1) when `list --failed` finds failed mails, so a cron job or a
/// monitoring check can act on it.
pub async fn run(config: Config, command: &MailCommand) -> anyhow::Result<bool> {
    let db = Database::open(&config).await?;
    let result = async {
        let mut conn = db.pool.acquire().await?;
        match command {
            MailCommand::List { failed, limit } => {
                let status = failed.then_some("failed");
                let mails =
                    gmao_db::outbox::list(&mut conn, status, (*limit).clamp(1, 10_000)).await?;
                for (status, count) in gmao_db::outbox::counts(&mut conn).await? {
                    println!("{status}: {count}");
                }
                if !mails.is_empty() {
                    println!();
                    println!(
                        "{:<32}  {:<20}  {:<7}  {:>3}  {:<30}  SUBJECT",
                        "ID", "WRITTEN", "STATUS", "TRY", "TO"
                    );
                }
                for mail in &mails {
                    println!(
                        "{:<32}  {:<20}  {:<7}  {:>3}  {:<30}  {}",
                        mail.id.simple(),
                        mail.created_at.format("%Y-%m-%d %H:%M:%S"),
                        mail.status,
                        mail.attempts,
                        mail.recipient,
                        mail.subject
                    );
                    if let Some(error) = &mail.last_error {
                        println!("{:<32}  last error: {error}", "");
                    }
                }
                Ok(!*failed || mails.is_empty())
            }
            MailCommand::Retry { id } => {
                if gmao_db::outbox::retry(&mut conn, *id).await? {
                    println!("mail {} will be sent again by the worker", id.simple());
                    Ok(true)
                } else {
                    anyhow::bail!("no failed mail {}", id.simple())
                }
            }
        }
    }
    .await;
    db.close().await;
    result
}
