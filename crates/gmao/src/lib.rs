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

use gmao_api::{ApiSettings, AppState, LoginLimits};
use gmao_db::PgPool;
use secrecy::SecretString;

use crate::config::Config;

/// The HTTP application's state for `config` over `pool`.
pub fn app_state(config: &Config, pool: PgPool, jwt_secret: &SecretString) -> Arc<AppState> {
    let settings = ApiSettings {
        access_token_ttl: Duration::from_secs(config.access_token_ttl_secs),
        refresh_token_ttl: Duration::from_secs(config.refresh_token_ttl_days * 24 * 3600),
        trust_forwarded_for: config.trust_forwarded_for,
        max_body_bytes: config.max_body_bytes,
        login_limits: LoginLimits {
            per_account: config.login.max_failures_per_account,
            per_address: config.login.max_failures_per_address,
            window: Duration::from_secs(config.login.window_secs),
        },
        web_dir: config.web_dir.clone(),
    };
    Arc::new(AppState {
        pool,
        tokens: gmao_api::tokens::TokenKeys::new(jwt_secret, settings.access_token_ttl),
        settings,
        metrics: gmao_api::metrics::Metrics::new(),
    })
}
