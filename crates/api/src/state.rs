use std::path::PathBuf;
use std::time::Duration;

use gmao_db::PgPool;

use crate::metrics::Metrics;
use crate::tokens::TokenKeys;

/// Everything a request may need, shared by all of them.
pub struct AppState {
    pub pool: PgPool,
    pub tokens: TokenKeys,
    pub settings: ApiSettings,
    pub metrics: Metrics,
}

#[derive(Debug, Clone)]
pub struct ApiSettings {
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    /// Take the client address from the last `X-Forwarded-For` hop (behind a trusted proxy).
    pub trust_forwarded_for: bool,
    pub max_body_bytes: usize,
    pub login_limits: LoginLimits,
    /// Where the built web app is read from; `None` serves the API only.
    pub web_dir: Option<PathBuf>,
}

impl Default for ApiSettings {
    fn default() -> Self {
        ApiSettings {
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            trust_forwarded_for: false,
            max_body_bytes: 1024 * 1024,
            login_limits: LoginLimits::default(),
            web_dir: None,
        }
    }
}

/// Failed logins allowed within `window` before further attempts get 429.
#[derive(Debug, Clone)]
pub struct LoginLimits {
    pub per_account: i64,
    pub per_address: i64,
    pub window: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            per_account: 5,
            per_address: 50,
            window: Duration::from_secs(15 * 60),
        }
    }
}
