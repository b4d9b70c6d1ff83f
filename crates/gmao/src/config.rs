//! Configuration: defaults, then an optional TOML file, then `GMAO_*` environment variables
//! (`__` separates nested keys: `GMAO_DATABASE__MAX_CONNECTIONS`), then command-line flags.
//! `gmao.example.toml` at the top of the repository documents every setting.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP server binds.
    pub host: IpAddr,
    pub port: u16,
    /// Where the embedded PostgreSQL cluster, generated secrets and outbox live.
    pub data_dir: PathBuf,
    /// PostgreSQL URL; without one, gmao runs its own cluster under `data_dir`.
    pub database_url: Option<SecretString>,
    pub database: DatabaseConfig,
    /// Secret that signs access tokens; generated into `data_dir` when absent. Set it (the same
    /// on every replica) in production.
    pub jwt_secret: Option<SecretString>,
    pub access_token_ttl_secs: u64,
    pub refresh_token_ttl_days: u64,
    /// Behind a reverse proxy: take the client address from `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
    pub max_body_bytes: usize,
    /// Largest attachment (photo, PDF) accepted, in bytes.
    pub max_upload_bytes: usize,
    /// Uploads read at once by one process.
    pub max_concurrent_uploads: usize,
    /// List exports (CSV, XLSX) running at once in one process.
    pub max_concurrent_exports: usize,
    /// The address people reach gmao at, for links on QR codes and in emails. Default
    /// `http://<host>:<port>`.
    pub public_url: Option<String>,
    pub storage: StorageConfig,
    pub mail: MailConfig,
    pub limits: LimitsConfig,
    pub log: LogConfig,
    /// Seconds in-flight requests get to finish at shutdown.
    pub shutdown_grace_secs: u64,
    /// Directory of the built web app (`web/dist`); overrides the embedded one.
    pub web_dir: Option<PathBuf>,
    pub worker: WorkerConfig,
    /// Tenants migrated at once by `gmao migrate` and at start-up.
    pub migrate_concurrency: usize,
    /// When the preventive maintenance sweep runs (cron with seconds, UTC; leader only).
    pub pm_sweep_cron: String,
    /// When set, `/metrics` answers only `Authorization: Bearer <metrics_token>`.
    pub metrics_token: Option<SecretString>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    pub max_connections: u32,
    pub acquire_timeout_secs: u64,
    /// Connections are recycled after this long (bounds per-backend catalog memory).
    pub max_lifetime_secs: u64,
    /// A statement running longer is cancelled by the server (0: never).
    pub statement_timeout_secs: u64,
    /// A transaction idle longer ends its session (0: never).
    pub idle_in_transaction_timeout_secs: u64,
}

/// Where attachment files are kept.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageConfig {
    /// `local` (a directory) or `s3` (any S3-compatible store).
    pub kind: StorageKind,
    /// For `local`: the directory; default `<data_dir>/files`.
    pub dir: Option<PathBuf>,
    pub s3_bucket: Option<String>,
    pub s3_region: Option<String>,
    pub s3_endpoint: Option<String>,
    pub s3_access_key_id: Option<SecretString>,
    pub s3_secret_access_key: Option<SecretString>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageKind {
    Local,
    S3,
}

/// How mails go out.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    /// SMTP server in lettre's URL form; unset, mails are written to `<data_dir>/outbox/`.
    pub smtp_url: Option<SecretString>,
    /// The sender (`gmao <no-reply@example.com>`).
    pub from: String,
}

impl Config {
    pub fn mail_settings(&self) -> gmao_mail::MailSettings {
        gmao_mail::MailSettings {
            smtp_url: self.mail.smtp_url.clone(),
            from: self.mail.from.clone(),
            outbox_dir: self.data_dir.join("outbox"),
        }
    }
}

/// Attempt budgets: `limit` attempts per period, spread evenly (see `gmao_db::throttle`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    /// Failed logins per account and client address, per `login_window_secs`.
    pub login_per_account_address: u32,
    /// Failed logins per account from anywhere, per hour.
    pub login_per_account_per_hour: u32,
    /// Failed logins per client address, per `login_window_secs`.
    pub login_per_address: u32,
    pub login_window_secs: u64,
    pub signups_per_address_per_hour: u32,
    pub signups_per_hour: u32,
    pub password_resets_per_account_per_hour: u32,
    pub password_resets_per_address_per_hour: u32,
    /// Current-password checks of a password change, per account and `login_window_secs`.
    pub password_changes_per_account: u32,
    pub verification_mails_per_account_per_hour: u32,
    pub invitations_per_company_per_hour: u32,
    /// Failures reported on the public request portal, per client address and company.
    pub portal_requests_per_address_per_hour: u32,
    /// Failures reported on one company's public request portal, all addresses together.
    pub portal_requests_per_company_per_hour: u32,
    /// Password hashes computed at once (0: one per core).
    pub concurrent_password_hashes: usize,
}

impl LimitsConfig {
    pub fn to_limits(&self) -> gmao_api::Limits {
        use gmao_api::Rate;
        use std::time::Duration;
        let window = Duration::from_secs(self.login_window_secs);
        let hour = Duration::from_secs(3600);
        gmao_api::Limits {
            login_per_account_address: Rate::new(self.login_per_account_address, window),
            login_per_account: Rate::new(self.login_per_account_per_hour, hour),
            login_per_address: Rate::new(self.login_per_address, window),
            signups_per_address: Rate::new(self.signups_per_address_per_hour, hour),
            signups: Rate::new(self.signups_per_hour, hour),
            password_resets_per_account: Rate::new(self.password_resets_per_account_per_hour, hour),
            password_resets_per_address: Rate::new(self.password_resets_per_address_per_hour, hour),
            password_changes_per_account: Rate::new(self.password_changes_per_account, window),
            verification_mails_per_account: Rate::new(
                self.verification_mails_per_account_per_hour,
                hour,
            ),
            invitations_per_company: Rate::new(self.invitations_per_company_per_hour, hour),
            portal_requests_per_address: Rate::new(self.portal_requests_per_address_per_hour, hour),
            portal_requests_per_company: Rate::new(self.portal_requests_per_company_per_hour, hour),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Readable lines for a terminal.
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    pub format: LogFormat,
    /// A tracing filter (`info`, `gmao=debug,sqlx=warn`); `RUST_LOG` wins when set.
    pub level: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerConfig {
    /// Jobs processed at once by one worker process.
    pub concurrency: usize,
    /// When housekeeping runs (cron with seconds).
    pub housekeeping_cron: String,
    /// When the leader looks for scheduled KPI reports that are due (cron with seconds, UTC).
    pub reports_cron: String,
    /// When the night's KPI snapshots (the backlog at each day's end) are taken (cron, UTC).
    pub kpi_snapshot_cron: String,
    /// Connections of the worker's own pool (`gmao serve` runs its worker on a pool separate
    /// from the API's).
    pub max_connections: u32,
}

/// Built-in defaults, as TOML so that they read like the example file.
const DEFAULTS: &str = r#"
host = "127.0.0.1"
port = 8080
data_dir = ".gmao"
access_token_ttl_secs = 900
refresh_token_ttl_days = 30
trust_forwarded_for = false
max_body_bytes = 1048576
max_upload_bytes = 20971520
max_concurrent_uploads = 8
max_concurrent_exports = 4
shutdown_grace_secs = 30
migrate_concurrency = 8
pm_sweep_cron = "0 */5 * * * *"

[storage]
kind = "local"

[mail]
from = "gmao <no-reply@localhost>"

[database]
max_connections = 10
acquire_timeout_secs = 10
max_lifetime_secs = 1800
statement_timeout_secs = 30
idle_in_transaction_timeout_secs = 60

[limits]
login_per_account_address = 5
login_per_account_per_hour = 20
login_per_address = 50
login_window_secs = 900
signups_per_address_per_hour = 5
signups_per_hour = 300
password_resets_per_account_per_hour = 3
password_resets_per_address_per_hour = 10
password_changes_per_account = 5
verification_mails_per_account_per_hour = 3
invitations_per_company_per_hour = 50
portal_requests_per_address_per_hour = 5
portal_requests_per_company_per_hour = 200
concurrent_password_hashes = 0

[log]
format = "pretty"
level = "info"

[worker]
concurrency = 4
housekeeping_cron = "0 17 * * * *"
reports_cron = "30 * * * * *"
kpi_snapshot_cron = "0 10 0 * * *"
max_connections = 5
"#;

/// `GMAO_*` variables that are not settings: read by the command line, the tests or the
/// benchmarks. Any other unknown `GMAO_*` variable is refused, so a typo does not pass silently.
const NOT_SETTINGS: &[&str] = &[
    "config",
    "new_password",
    "test_database_url",
    "bin",
    "bench_tenants",
];

/// Values given on the command line, which win over everything else.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<IpAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
}

impl Config {
    /// The address printed on QR codes and in emails.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}:{}", self.host, self.port),
        }
    }

    /// Loads the layers. An error names the setting at fault.
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> Result<Config, String> {
        let mut figment = Figment::from(Toml::string(DEFAULTS));
        if let Some(file) = file {
            if !file.exists() {
                return Err(format!(
                    "configuration file {} does not exist",
                    file.display()
                ));
            }
            figment = figment.merge(Toml::file(file));
        }
        figment = figment
            .merge(Env::prefixed("GMAO_").split("__").ignore(NOT_SETTINGS))
            .merge(Serialized::defaults(overrides));
        let config: Config = figment.extract().map_err(describe)?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), String> {
        if self.database.max_connections == 0 {
            return Err("setting `database.max_connections` (GMAO_DATABASE__MAX_CONNECTIONS) must be at least 1".into());
        }
        if !self.mail.from.contains('@') {
            return Err("setting `mail.from` (GMAO_MAIL__FROM) must be a mailbox such as \"gmao <no-reply@example.com>\"".into());
        }
        if let Some(url) = &self.mail.smtp_url {
            let url = secrecy::ExposeSecret::expose_secret(url);
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                return Err("setting `mail.smtp_url` (GMAO_MAIL__SMTP_URL) must start with smtp:// or smtps://".into());
            }
        }
        if self.worker.max_connections == 0 {
            return Err("setting `worker.max_connections` (GMAO_WORKER__MAX_CONNECTIONS) must be at least 1".into());
        }
        if let Some(token) = &self.metrics_token
            && secrecy::ExposeSecret::expose_secret(token).len() < 16
        {
            return Err(
                "setting `metrics_token` (GMAO_METRICS_TOKEN) must be at least 16 characters"
                    .into(),
            );
        }
        if self.migrate_concurrency == 0 {
            return Err(
                "setting `migrate_concurrency` (GMAO_MIGRATE_CONCURRENCY) must be at least 1"
                    .into(),
            );
        }
        let limits = &self.limits;
        let budgets = [
            (
                "login_per_account_address",
                limits.login_per_account_address,
            ),
            (
                "login_per_account_per_hour",
                limits.login_per_account_per_hour,
            ),
            ("login_per_address", limits.login_per_address),
            (
                "signups_per_address_per_hour",
                limits.signups_per_address_per_hour,
            ),
            ("signups_per_hour", limits.signups_per_hour),
            (
                "password_resets_per_account_per_hour",
                limits.password_resets_per_account_per_hour,
            ),
            (
                "password_resets_per_address_per_hour",
                limits.password_resets_per_address_per_hour,
            ),
            (
                "password_changes_per_account",
                limits.password_changes_per_account,
            ),
            (
                "verification_mails_per_account_per_hour",
                limits.verification_mails_per_account_per_hour,
            ),
            (
                "invitations_per_company_per_hour",
                limits.invitations_per_company_per_hour,
            ),
            (
                "portal_requests_per_address_per_hour",
                limits.portal_requests_per_address_per_hour,
            ),
            (
                "portal_requests_per_company_per_hour",
                limits.portal_requests_per_company_per_hour,
            ),
        ];
        if let Some((name, _)) = budgets.iter().find(|(_, value)| *value == 0) {
            return Err(format!(
                "setting `limits.{name}` (GMAO_LIMITS__{}) must be at least 1",
                name.to_uppercase()
            ));
        }
        if limits.login_window_secs == 0 {
            return Err("setting `limits.login_window_secs` (GMAO_LIMITS__LOGIN_WINDOW_SECS) must be at least 1".into());
        }
        if self.access_token_ttl_secs < 30 {
            return Err(
                "setting `access_token_ttl_secs` (GMAO_ACCESS_TOKEN_TTL_SECS) must be at least 30"
                    .into(),
            );
        }
        if self.storage.kind == StorageKind::S3
            && (self.storage.s3_bucket.is_none()
                || self.storage.s3_access_key_id.is_none()
                || self.storage.s3_secret_access_key.is_none())
        {
            return Err("settings `storage.s3_bucket`, `storage.s3_access_key_id` and `storage.s3_secret_access_key` (GMAO_STORAGE__S3_…) are required with storage.kind = \"s3\"".into());
        }
        if let Some(url) = &self.public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(
                "setting `public_url` (GMAO_PUBLIC_URL) must start with http:// or https://".into(),
            );
        }
        if let Some(secret) = &self.jwt_secret
            && secrecy::ExposeSecret::expose_secret(secret).len() < 32
        {
            return Err(
                "setting `jwt_secret` (GMAO_JWT_SECRET) must be at least 32 characters".into(),
            );
        }
        Ok(())
    }
}

/// Figment's message, with the environment variable that sets the key.
fn describe(error: figment::Error) -> String {
    let mut lines = Vec::new();
    for e in error {
        let key = e.path.join(".");
        let variable = format!("GMAO_{}", e.path.join("__").to_uppercase());
        if key.is_empty() {
            lines.push(e.to_string());
        } else {
            lines.push(format!("setting `{key}` ({variable}): {}", e.kind));
        }
    }
    lines.join("\n")
}

#[cfg(test)]
// figment's Jail dictates the closure's error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load_and_example_file_is_complete() -> Result<(), String> {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            let config = Config::load(None, &Overrides::default()).map_err(figment::Error::from)?;
            assert_eq!(config.port, 8080);
            assert_eq!(config.host.to_string(), "127.0.0.1");
            assert!(config.database_url.is_none());
            // The example documents every setting: loading it must succeed and give the defaults.
            let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../gmao.example.toml");
            let from_example = Config::load(Some(Path::new(example)), &Overrides::default())
                .map_err(figment::Error::from)?;
            assert_eq!(from_example.port, 8080);
            Ok(())
        });
        Ok(())
    }

    #[test]
    fn environment_and_flags_override_and_errors_name_the_setting() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env("GMAO_PORT", "9090");
            jail.set_env("GMAO_DATABASE__MAX_CONNECTIONS", "3");
            let config = Config::load(None, &Overrides::default()).map_err(figment::Error::from)?;
            assert_eq!(config.port, 9090);
            assert_eq!(config.database.max_connections, 3);
            let flagged = Config::load(
                None,
                &Overrides {
                    port: Some(7000),
                    ..Default::default()
                },
            )
            .map_err(figment::Error::from)?;
            assert_eq!(flagged.port, 7000);

            jail.set_env("GMAO_PORT", "eighty");
            let error = Config::load(None, &Overrides::default())
                .err()
                .unwrap_or_default();
            assert!(error.contains("GMAO_PORT"), "{error}");
            Ok(())
        });
    }

    #[test]
    fn secrets_do_not_print() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env("GMAO_DATABASE_URL", "postgres://u:hunter2-secret@db/gmao");
            jail.set_env("GMAO_JWT_SECRET", "0123456789abcdef0123456789abcdef-secret");
            let config = Config::load(None, &Overrides::default()).map_err(figment::Error::from)?;
            let printed = format!("{config:?}");
            assert!(!printed.contains("hunter2"), "{printed}");
            assert!(!printed.contains("0123456789abcdef"), "{printed}");
            Ok(())
        });
    }
}
