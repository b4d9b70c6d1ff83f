//! The database gmao uses: the configured server, or the embedded default cluster.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use gmao_db::PgPool;
use gmao_db::embedded::{EmbeddedOptions, EmbeddedPostgres};
use gmao_db::pool::PoolSettings;
use secrecy::SecretString;

use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::shutdown::Shutdown;

/// An open pool, and the embedded cluster behind it when gmao runs its own.
pub struct Database {
    pub pool: PgPool,
    pub embedded: Option<Arc<EmbeddedPostgres>>,
    url: SecretString,
}

impl Database {
    pub async fn open(config: &Config) -> anyhow::Result<Database> {
        let settings = pool_settings(config, config.database.max_connections);
        match &config.database_url {
            Some(url) => {
                let pool = gmao_db::pool::connect(url, &settings).await.context(
                    "cannot reach the PostgreSQL server of GMAO_DATABASE_URL; check the URL and \
                     that the server runs, or unset it to use the embedded database",
                )?;
                Ok(Database {
                    pool,
                    embedded: None,
                    url: url.clone(),
                })
            }
            None => {
                let embedded = start_embedded(&config.data_dir).await?;
                let url = embedded.database_url();
                let pool = gmao_db::pool::connect(&url, &settings)
                    .await
                    .context("connecting to the embedded PostgreSQL")?;
                Ok(Database {
                    pool,
                    embedded: Some(Arc::new(embedded)),
                    url,
                })
            }
        }
    }

    /// Another pool on the same database, of `max_connections`: the in-process worker gets its
    /// own, so that background jobs never take the connections requests need, nor the reverse.
    pub async fn extra_pool(
        &self,
        config: &Config,
        max_connections: u32,
    ) -> anyhow::Result<PgPool> {
        gmao_db::pool::connect(&self.url, &pool_settings(config, max_connections))
            .await
            .context("opening a second connection pool")
    }

    /// Watches the embedded cluster this process started (if any): when its server dies, it is
    /// started again; when that fails, `shutdown` is triggered and the supervision reports
    /// why, so that the process exits non-zero and its own supervisor (systemd, the
    /// orchestrator) takes over. Meanwhile `/healthz` answers 503.
    pub fn supervise(&self, shutdown: &Shutdown) -> Supervision {
        let failure = Arc::new(Mutex::new(None));
        let Some(embedded) = self.embedded.clone().filter(|e| e.is_owned()) else {
            return Supervision { failure };
        };
        let reported = Arc::clone(&failure);
        let shutdown = shutdown.clone();
        let stopped = shutdown.wait();
        tokio::spawn(async move {
            tokio::select! {
                reason = watch(embedded) => {
                    tracing::error!(%reason, "the embedded PostgreSQL cannot be kept running; stopping");
                    if let Ok(mut slot) = reported.lock() {
                        *slot = Some(reason);
                    }
                    shutdown.trigger();
                }
                _ = stopped => {}
            }
        });
        Supervision { failure }
    }

    /// Closes the pool, then stops the embedded cluster (if any).
    pub async fn close(self) {
        self.pool.close().await;
        if let Some(embedded) = self.embedded {
            match tokio::task::spawn_blocking(move || embedded.stop()).await {
                Ok(Ok(())) => tracing::info!("embedded PostgreSQL stopped"),
                Ok(Err(error)) => tracing::warn!(%error, "stopping the embedded PostgreSQL"),
                Err(error) => tracing::warn!(%error, "stopping the embedded PostgreSQL"),
            }
        }
    }
}

/// The pool settings of the configuration, for a pool of `max_connections`.
pub fn pool_settings(config: &Config, max_connections: u32) -> PoolSettings {
    PoolSettings {
        max_connections,
        acquire_timeout: Duration::from_secs(config.database.acquire_timeout_secs),
        max_lifetime: Duration::from_secs(config.database.max_lifetime_secs),
        statement_timeout: Duration::from_secs(config.database.statement_timeout_secs),
        idle_in_transaction_timeout: Duration::from_secs(
            config.database.idle_in_transaction_timeout_secs,
        ),
    }
}

/// How the supervision of the embedded database ended, if it failed.
pub struct Supervision {
    failure: Arc<Mutex<Option<String>>>,
}

impl Supervision {
    /// Why the embedded database could not be kept running, if it could not.
    pub fn failure(&self) -> Option<String> {
        self.failure.lock().ok().and_then(|slot| slot.clone())
    }
}

/// How often the embedded server is checked.
const CHECK_EVERY: Duration = Duration::from_secs(3);
/// Restarts tried in a row before giving up.
const RESTARTS: u32 = 3;

/// Checks the server until it cannot be restarted; answers why.
async fn watch(embedded: Arc<EmbeddedPostgres>) -> String {
    loop {
        tokio::time::sleep(CHECK_EVERY).await;
        let probe = Arc::clone(&embedded);
        if tokio::task::spawn_blocking(move || probe.is_running())
            .await
            .unwrap_or(false)
        {
            continue;
        }
        tracing::error!("the embedded PostgreSQL stopped unexpectedly; starting it again");
        let mut last_error = String::new();
        let mut restarted = false;
        for attempt in 1..=RESTARTS {
            let starter = Arc::clone(&embedded);
            match tokio::task::spawn_blocking(move || starter.restart()).await {
                Ok(Ok(())) => {
                    tracing::info!(attempt, "embedded PostgreSQL running again");
                    restarted = true;
                    break;
                }
                Ok(Err(error)) => last_error = error.to_string(),
                Err(error) => last_error = error.to_string(),
            }
            tracing::warn!(attempt, error = %last_error, "restarting the embedded PostgreSQL failed");
            tokio::time::sleep(Duration::from_secs(u64::from(attempt))).await;
        }
        if !restarted {
            return format!(
                "the embedded PostgreSQL died and could not be restarted: {last_error}"
            );
        }
    }
}

async fn start_embedded(data_dir: &Path) -> anyhow::Result<EmbeddedPostgres> {
    let options = EmbeddedOptions {
        dir: data_dir.to_path_buf(),
        ephemeral: false,
        durable: true,
    };
    tracing::info!(dir = %data_dir.display(), "starting the embedded PostgreSQL (no GMAO_DATABASE_URL set)");
    let embedded = tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&options))
        .await
        .context("embedded PostgreSQL start-up task")??;
    tracing::info!(
        port = embedded.port(),
        "embedded PostgreSQL running on 127.0.0.1"
    );
    Ok(embedded)
}

/// The token-signing secret: configured, or generated once into the data directory.
pub fn jwt_secret(config: &Config) -> anyhow::Result<SecretString> {
    if let Some(secret) = &config.jwt_secret {
        return Ok(secret.clone());
    }
    use base64::Engine as _;
    use rand::RngCore;

    let path = config.data_dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path)
        && existing.trim().len() >= 32
    {
        return Ok(SecretString::from(existing.trim().to_owned()));
    }
    if config.database_url.is_some() {
        tracing::warn!(
            "GMAO_JWT_SECRET is not set: using a secret generated into {}; replicas must share one secret",
            path.display()
        );
    }
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating {}", config.data_dir.display()))?;
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    gmao_db::private_file::write(&path, &secret)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(SecretString::from(secret))
}
