//! What the black-box tests and benchmarks share: a throwaway PostgreSQL cluster per process
//! (or `GMAO_TEST_DATABASE_URL`), and the real HTTP server on a free port.

use std::sync::OnceLock;
use std::time::Duration;

use gmao_api::{ApiSettings, AppState};
use gmao_db::PgPool;
use gmao_db::embedded::{EmbeddedOptions, EmbeddedPostgres};
use gmao_db::pool::PoolSettings;
use secrecy::{ExposeSecret, SecretString};

pub mod client;
pub mod gated_store;
pub mod smtp;

pub use client::{Company, Person, TestApp};

/// The cluster of this test process. It is never dropped: when the process exits, its
/// watchdog stops the server and removes the directory.
static CLUSTER: OnceLock<Result<(Option<EmbeddedPostgres>, SecretString), String>> =
    OnceLock::new();

/// The database URL for this process, starting the throwaway cluster on first use and
/// migrating the control plane. Tests run without fsync; see [`durable_database_url`].
pub fn database_url() -> SecretString {
    cluster_url(false)
}

/// Like [`database_url`], with the cluster flushing commits to disk as production does (for
/// benchmarks). The first call in a process decides.
pub fn durable_database_url() -> SecretString {
    cluster_url(true)
}

fn cluster_url(durable: bool) -> SecretString {
    let cluster = CLUSTER.get_or_init(|| {
        let (embedded, url) = match std::env::var("GMAO_TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => (None, SecretString::from(url)),
            _ => {
                let dir = tempfile::Builder::new()
                    .prefix("gmao-test-pg-")
                    .tempdir_in(std::env::temp_dir())
                    .map_err(|e| e.to_string())?
                    .keep();
                let cluster = EmbeddedPostgres::start(&EmbeddedOptions {
                    dir,
                    ephemeral: true,
                    durable,
                })
                .map_err(|e| e.to_string())?;
                let url = cluster.database_url();
                (Some(cluster), url)
            }
        };
        // Migrate the control plane once, on a runtime of its own (each test has its own).
        let migrate_url = url.clone();
        std::thread::spawn(move || -> Result<(), String> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let pool = gmao_db::pool::connect(&migrate_url, &PoolSettings::default())
                    .await
                    .map_err(|e| format!("{e:#}"))?;
                gmao_db::migrate::migrate_public(&pool)
                    .await
                    .map_err(|e| e.to_string())?;
                // As `gmao serve` does: the API reads and fills the job queue.
                gmao_workers::setup(&pool)
                    .await
                    .map_err(|e| format!("{e:#}"))?;
                pool.close().await;
                Ok(())
            })
        })
        .join()
        .map_err(|_| "migration thread panicked".to_owned())??;
        Ok((embedded, url))
    });
    match cluster {
        Ok((_, url)) => url.clone(),
        Err(error) => panic!("cannot start the test database: {error}"),
    }
}

/// Logs of the server under test, on demand: `TEST_LOG=debug cargo test …`.
fn init_logs() {
    static LOGS: std::sync::Once = std::sync::Once::new();
    LOGS.call_once(|| {
        if let Ok(filter) = std::env::var("TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
    });
}

/// A pool on the test database, for this test's runtime.
pub async fn pool(max_connections: u32) -> PgPool {
    pool_on(&database_url(), max_connections).await
}

pub async fn pool_on(url: &SecretString, max_connections: u32) -> PgPool {
    init_logs();
    let settings = PoolSettings {
        max_connections,
        acquire_timeout: Duration::from_secs(30),
        ..PoolSettings::default()
    };
    match gmao_db::pool::connect(url, &settings).await {
        Ok(pool) => pool,
        Err(error) => panic!("cannot connect to {}: {error:#}", url.expose_secret()),
    }
}

/// Settings for tests: generous limits on what every test does from 127.0.0.1 (logins and
/// sign-ups by address, sign-ups overall) so that tests do not throttle each other; the
/// rate-limit tests set their own. Budgets per account stay as in production.
pub fn test_settings() -> ApiSettings {
    let mut settings = ApiSettings::default();
    let plenty = gmao_api::Rate::new(1_000_000, std::time::Duration::from_secs(60));
    settings.limits.login_per_address = plenty;
    settings.limits.signups_per_address = plenty;
    settings.limits.signups = plenty;
    settings.limits.password_resets_per_address = plenty;
    settings.max_upload_bytes = 256 * 1024;
    settings
}

pub fn test_state(
    pool: PgPool,
    settings: ApiSettings,
    storage: gmao_storage::Storage,
) -> std::sync::Arc<AppState> {
    let secret = SecretString::from("test-secret-that-is-long-enough-0123456789".to_owned());
    std::sync::Arc::new(AppState::new(pool, &secret, settings, storage))
}

/// A unique suffix for slugs and emails, so that tests sharing a database never collide.
pub fn unique(prefix: &str) -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}-{}", &id[..10])
}

/// A database of the test's own on the test cluster, with the control plane and the job queue
/// migrated: for tests that run whole workers, which would otherwise take the jobs and mails
/// of every other test.
pub struct ScratchDatabase {
    /// On the test cluster's main database, to drop the scratch one at the end.
    pub admin: PgPool,
    pub name: String,
    pub url: String,
    pub pool: PgPool,
}

impl ScratchDatabase {
    pub async fn create(prefix: &str) -> ScratchDatabase {
        let admin = pool(2).await;
        let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
        gmao_db::sqlx::query(gmao_db::sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE {name}"
        )))
        .execute(&admin)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let base = database_url().expose_secret().to_owned();
        let url = format!(
            "{}/{name}",
            base.rsplit_once('/')
                .map_or(base.as_str(), |(head, _)| head)
        );
        let pool = pool_on(&SecretString::from(url.clone()), 10).await;
        gmao_db::migrate::migrate_public(&pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        gmao_workers::setup(&pool)
            .await
            .unwrap_or_else(|e| panic!("{e:#}"));
        ScratchDatabase {
            admin,
            name,
            url,
            pool,
        }
    }

    pub async fn drop(self) {
        self.pool.close().await;
        let _ = gmao_db::sqlx::query(gmao_db::sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {} WITH (FORCE)",
            self.name
        )))
        .execute(&self.admin)
        .await;
    }
}

/// What the benchmarks share: their knobs, how they print timings, and a large company.
pub mod bench {
    use std::time::Duration;

    use gmao_domain::TenantId;
    use sqlx::PgPool;

    /// The process's peak resident memory so far, in MiB (Linux).
    pub fn peak_mib() -> f64 {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
            })
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    }

    /// Fills a company with the large demo's machines and `orders` work orders over ten years
    /// (`gmao_db::demo_large::fill`).
    pub async fn large_company(
        pool: &PgPool,
        tenant: TenantId,
        orders: usize,
    ) -> anyhow::Result<()> {
        let progress = |step: &str| eprintln!("{step}");
        gmao_db::demo_large::fill(pool, tenant, u64::try_from(orders)?, &progress).await?;
        Ok(())
    }

    /// A count from the environment (`GMAO_BENCH_ORDERS`…), or `default`.
    pub fn env_count(name: &str, default: usize) -> usize {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }

    /// "p50 …, p95 …, max …" of `durations` (sorted in place; at least one).
    pub fn summary(durations: &mut [Duration]) -> String {
        durations.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            ms(durations[durations.len() / 2]),
            ms(durations[durations.len() * 95 / 100]),
            ms(durations[durations.len() - 1])
        )
    }
}
