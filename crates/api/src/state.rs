use std::path::PathBuf;
use std::time::Duration;

use gmao_db::PgPool;
use secrecy::SecretString;

use gmao_storage::Storage;

use crate::metrics::Metrics;
use crate::tokens::TokenKeys;

/// Everything a request may need, shared by all of them.
pub struct AppState {
    pub pool: PgPool,
    pub tokens: TokenKeys,
    pub settings: ApiSettings,
    pub metrics: Metrics,
    pub storage: Storage,
}

#[derive(Debug, Clone)]
pub struct ApiSettings {
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    /// Take the client address from the last `X-Forwarded-For` hop (behind a trusted proxy).
    pub trust_forwarded_for: bool,
    pub max_body_bytes: usize,
    /// Largest attachment accepted (photos, PDFs).
    pub max_upload_bytes: usize,
    /// The address people reach gmao at (`https://gmao.example.com`), for links printed on QR
    /// codes and sent by email.
    pub public_url: String,
    pub login_limits: LoginLimits,
    /// Where the built web app is read from; `None` serves the API only.
    pub web_dir: Option<PathBuf>,
    /// When set, `/metrics` answers only `Authorization: Bearer <token>`.
    pub metrics_token: Option<SecretString>,
}

impl Default for ApiSettings {
    fn default() -> Self {
        ApiSettings {
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            trust_forwarded_for: false,
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: 20 * 1024 * 1024,
            public_url: "http://127.0.0.1:8080".into(),
            login_limits: LoginLimits::default(),
            web_dir: None,
            metrics_token: None,
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
