//! The connection pool.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};

#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
    /// Each backend keeps catalog entries of every tenant schema it touched; recycling
    /// connections bounds that memory when thousands of tenants share the server.
    pub max_lifetime: Duration,
    /// The longest any statement may run before the server cancels it: a runaway query frees
    /// its connection instead of holding it for good.
    pub statement_timeout: Duration,
    /// The longest a transaction may sit idle before the server ends the session: a task that
    /// forgot its transaction cannot hold locks and a connection for good.
    pub idle_in_transaction_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(10),
            max_lifetime: Duration::from_secs(30 * 60),
            statement_timeout: Duration::from_secs(30),
            idle_in_transaction_timeout: Duration::from_secs(60),
        }
    }
}

pub async fn connect(url: &SecretString, settings: &PoolSettings) -> anyhow::Result<PgPool> {
    let options = PgConnectOptions::from_str(url.expose_secret())
        .context("GMAO_DATABASE_URL is not a valid PostgreSQL URL")?
        .application_name("gmao")
        // Set at connection start-up, so every connection of the pool has them (0 = none).
        .options([
            (
                "statement_timeout",
                format!("{}ms", settings.statement_timeout.as_millis()),
            ),
            (
                "idle_in_transaction_session_timeout",
                format!("{}ms", settings.idle_in_transaction_timeout.as_millis()),
            ),
        ])
        .log_statements(tracing::log::LevelFilter::Trace)
        .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
    PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(settings.acquire_timeout)
        .max_lifetime(settings.max_lifetime)
        .connect_with(options)
        .await
        .context("connecting to PostgreSQL")
}

/// A round trip to the server.
pub async fn ping(pool: &PgPool) -> crate::Result<()> {
    sqlx::query("SELECT 1").execute(pool).await?;
    Ok(())
}
