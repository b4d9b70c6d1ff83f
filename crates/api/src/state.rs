use std::path::PathBuf;
use std::time::Duration;

use gmao_db::PgPool;
use gmao_db::passwords::Hasher;
use gmao_db::throttle::Rate;
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
    /// Uploads read at once (each holds up to `max_upload_bytes` in memory).
    pub uploads: tokio::sync::Semaphore,
    /// Password hashing, a bounded number at a time.
    pub hasher: Hasher,
    /// Companies provisioned at once (each holds a connection while its schema is created).
    pub provisioning: tokio::sync::Semaphore,
    /// Indicator computations at once (ten years of a large company hold a few hundred MB and
    /// keep a core busy for a second).
    pub kpi_computations: tokio::sync::Semaphore,
    /// List exports at once (each reads every matching row and keeps a transaction-sized
    /// connection busy per batch); a CSV download holds its slot until its last row is sent.
    pub exports: std::sync::Arc<tokio::sync::Semaphore>,
}

impl AppState {
    pub fn new(
        pool: PgPool,
        jwt_secret: &SecretString,
        settings: ApiSettings,
        storage: Storage,
    ) -> AppState {
        AppState {
            tokens: TokenKeys::new(jwt_secret, settings.access_token_ttl),
            uploads: tokio::sync::Semaphore::new(settings.max_concurrent_uploads.max(1)),
            provisioning: tokio::sync::Semaphore::new(2),
            kpi_computations: tokio::sync::Semaphore::new(2),
            exports: std::sync::Arc::new(tokio::sync::Semaphore::new(
                settings.max_concurrent_exports.max(1),
            )),
            hasher: match settings.concurrent_hashes {
                0 => Hasher::per_core(),
                n => Hasher::new(n, Duration::from_secs(10)),
            },
            pool,
            settings,
            metrics: Metrics::new(),
            storage,
        }
    }
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
    /// Uploads read at once; more wait for a slot (then 503 `server_busy`).
    pub max_concurrent_uploads: usize,
    /// List exports running at once; more wait a little, then 503 `server_busy`.
    pub max_concurrent_exports: usize,
    /// Password hashes computed at once (0: one per core).
    pub concurrent_hashes: usize,
    /// The address people reach gmao at (`https://gmao.example.com`), for links printed on QR
    /// codes and sent by email.
    pub public_url: String,
    pub limits: Limits,
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
            max_concurrent_uploads: 8,
            max_concurrent_exports: 4,
            concurrent_hashes: 0,
            public_url: "http://127.0.0.1:8080".into(),
            limits: Limits::default(),
            web_dir: None,
            metrics_token: None,
        }
    }
}

/// Attempt budgets (see `gmao_db::throttle`): over one, the attempt is refused before any
/// work (429 `too_many_attempts`, or silently where an answer would say whether an account
/// exists).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Failed logins per account from one client address: one guesser is slowed down fast.
    pub login_per_account_address: Rate,
    /// Failed logins per account from anywhere: slow, so that a stranger who spends it locks
    /// the person out for one interval, not for long.
    pub login_per_account: Rate,
    /// Failed logins per client address, whatever the account.
    pub login_per_address: Rate,
    pub signups_per_address: Rate,
    /// Sign-ups on the whole instance: each one creates a schema.
    pub signups: Rate,
    /// Reset mails per account (beyond, silently none: the answer never says whether the
    /// account exists).
    pub password_resets_per_account: Rate,
    pub password_resets_per_address: Rate,
    /// Current-password checks of `/me/password` per account.
    pub password_changes_per_account: Rate,
    /// Verification mails a person may ask for.
    pub verification_mails_per_account: Rate,
    /// Invitation mails a company may send.
    pub invitations_per_company: Rate,
    /// Failures reported on the public portal from one client address, per company.
    pub portal_requests_per_address: Rate,
    /// Failures reported on a company's public portal, all addresses together.
    pub portal_requests_per_company: Rate,
}

impl Default for Limits {
    fn default() -> Self {
        let minutes = |m: u64| Duration::from_secs(m * 60);
        Limits {
            login_per_account_address: Rate::new(5, minutes(15)),
            login_per_account: Rate::new(20, minutes(60)),
            login_per_address: Rate::new(50, minutes(15)),
            signups_per_address: Rate::new(5, minutes(60)),
            signups: Rate::new(300, minutes(60)),
            password_resets_per_account: Rate::new(3, minutes(60)),
            password_resets_per_address: Rate::new(10, minutes(60)),
            password_changes_per_account: Rate::new(5, minutes(15)),
            verification_mails_per_account: Rate::new(3, minutes(60)),
            invitations_per_company: Rate::new(50, minutes(60)),
            portal_requests_per_address: Rate::new(5, minutes(60)),
            portal_requests_per_company: Rate::new(200, minutes(60)),
        }
    }
}
