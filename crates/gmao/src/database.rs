//! The database gmao uses: the configured server, or the embedded default cluster.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use gmao_db::PgPool;
use gmao_db::embedded::{EmbeddedOptions, EmbeddedPostgres};
use gmao_db::pool::PoolSettings;
use secrecy::SecretString;

use crate::config::Config;

/// An open pool, and the embedded cluster behind it when gmao runs its own.
pub struct Database {
    pub pool: PgPool,
    pub embedded: Option<EmbeddedPostgres>,
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
                    embedded: Some(embedded),
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
