//! The `gmao` binary as a library: configuration, wiring and the commands, so tests and
//! benchmarks drive the same code as the command line.

pub mod cli;
pub mod commands;
pub mod config;
pub mod database;
pub mod migration;
pub mod shutdown;
pub mod telemetry;

use std::sync::Arc;
use std::time::Duration;

use gmao_api::{ApiSettings, AppState};
use gmao_db::PgPool;
use secrecy::SecretString;

use crate::config::Config;

/// Where the built web app is: `web_dir` (GMAO_WEB_DIR) when set, else `web/dist` of a
/// checkout (the working directory), else `web` next to the binary (an installed package).
pub fn web_dir(config: &Config) -> Option<std::path::PathBuf> {
    if let Some(dir) = &config.web_dir {
        return Some(dir.clone());
    }
    let beside_binary = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("web")));
    [Some(std::path::PathBuf::from("web/dist")), beside_binary]
        .into_iter()
        .flatten()
        .find(|dir| dir.join("index.html").is_file())
}

/// The attachment store the configuration names.
pub fn storage(config: &Config) -> anyhow::Result<gmao_storage::Storage> {
    use crate::config::StorageKind;
    let storage = match config.storage.kind {
        StorageKind::Local => {
            let dir = config
                .storage
                .dir
                .clone()
                .unwrap_or_else(|| config.data_dir.join("files"));
            gmao_storage::Storage::local(&dir)?
        }
        StorageKind::S3 => {
            let missing = |name: &str| anyhow::anyhow!("storage.{name} is required for S3 storage");
            gmao_storage::Storage::s3(&gmao_storage::S3Settings {
                bucket: config
                    .storage
                    .s3_bucket
                    .clone()
                    .ok_or_else(|| missing("s3_bucket"))?,
                region: config
                    .storage
                    .s3_region
                    .clone()
                    .unwrap_or_else(|| "us-east-1".into()),
                endpoint: config.storage.s3_endpoint.clone(),
                access_key_id: config
                    .storage
                    .s3_access_key_id
                    .clone()
                    .ok_or_else(|| missing("s3_access_key_id"))?,
                secret_access_key: config
                    .storage
                    .s3_secret_access_key
                    .clone()
                    .ok_or_else(|| missing("s3_secret_access_key"))?,
            })?
        }
    };
    tracing::info!(storage = ?storage, "attachments storage");
    Ok(storage)
}

/// The HTTP application's state for `config` over `pool`.
pub fn app_state(
    config: &Config,
    pool: PgPool,
    jwt_secret: &SecretString,
    storage: gmao_storage::Storage,
) -> Arc<AppState> {
    let settings = ApiSettings {
        access_token_ttl: Duration::from_secs(config.access_token_ttl_secs),
        refresh_token_ttl: Duration::from_secs(config.refresh_token_ttl_days * 24 * 3600),
        trust_forwarded_for: config.trust_forwarded_for,
        max_body_bytes: config.max_body_bytes,
        max_upload_bytes: config.max_upload_bytes,
        max_concurrent_uploads: config.max_concurrent_uploads,
        max_concurrent_exports: config.max_concurrent_exports,
        public_url: config.public_url(),
        limits: config.limits.to_limits(),
        concurrent_hashes: config.limits.concurrent_password_hashes,
        web_dir: web_dir(config),
        metrics_token: config.metrics_token.clone(),
    };
    Arc::new(AppState::new(pool, jwt_secret, settings, storage))
}
