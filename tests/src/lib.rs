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

    use gmao_db::{Actor, TenantTx};
    use gmao_domain::TenantId;
    use sqlx::PgPool;
    use uuid::Uuid;

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

    /// Fills a company with 1,000 machines on two sites in different time zones and `orders`
    /// work orders over ten years (60% corrective, half of them with a stop; 30% preventive;
    /// 10% inspections; 2% still open), each started one with a time entry; then `ANALYZE`.
    /// Written with set-based SQL in one transaction.
    pub async fn large_company(
        pool: &PgPool,
        tenant: TenantId,
        orders: usize,
    ) -> anyhow::Result<()> {
        let mut tx = TenantTx::begin(pool, tenant, Actor::system()).await?;
        sqlx::raw_sql(
            "SET LOCAL statement_timeout = 0;
             INSERT INTO sites (id, code, name, time_zone) VALUES
                 (gen_random_uuid(), 'LYON', 'Lyon', 'Europe/Paris'),
                 (gen_random_uuid(), 'MTL', 'Montréal', 'America/Toronto');
             INSERT INTO equipment (id, code, name, site_id)
             SELECT gen_random_uuid(), 'M' || n, 'Machine ' || n,
                    (SELECT id FROM sites WHERE code IN ('LYON', 'MTL') ORDER BY code OFFSET n % 2 LIMIT 1)
             FROM generate_series(0, 999) AS n;",
        )
        .execute(tx.conn())
        .await?;
        eprintln!("inserting {orders} work orders over ten years…");
        sqlx::query(
            "WITH machines AS (SELECT array_agg(id ORDER BY code) AS ids,
                                      array_agg(site_id ORDER BY code) AS sites
                               FROM equipment WHERE code ~ '^M[0-9]+$'),
             o AS (
                SELECT n, now() - (n::double precision / $1) * interval '3650 days' AS created,
                       CASE WHEN n % 10 < 6 THEN 'corrective' WHEN n % 10 < 9 THEN 'preventive'
                            ELSE 'inspection' END AS type,
                       n % 50 = 0 AS open
                FROM generate_series(1, $1) AS n)
             INSERT INTO work_orders (id, number, type, priority, status, equipment_id, site_id,
                 title, due_at, origin, created_at, started_at, completed_at, closed_at,
                 downtime_start, downtime_end, downtime_minutes, estimated_minutes)
             SELECT gen_random_uuid(), 'BT-' || lpad(n::text, 7, '0'), type, 'normal',
                    CASE WHEN open THEN 'assigned' ELSE 'closed' END,
                    m.ids[1 + n % 1000], m.sites[1 + n % 1000], 'Intervention ' || n,
                    CASE WHEN type = 'preventive' THEN created + interval '7 days' END,
                    CASE WHEN type = 'corrective' AND n % 3 = 0 THEN 'request' ELSE 'manual' END,
                    created,
                    CASE WHEN open THEN NULL ELSE created + interval '1 hour' END,
                    CASE WHEN open THEN NULL
                         WHEN type = 'preventive' THEN created + (5 + n % 4) * interval '1 day'
                         ELSE created + (2 + n % 24) * interval '1 hour' END,
                    CASE WHEN open THEN NULL
                         WHEN type = 'preventive' THEN created + (6 + n % 4) * interval '1 day'
                         ELSE created + (3 + n % 24) * interval '1 hour' END,
                    CASE WHEN type = 'corrective' AND n % 2 = 0 AND NOT open THEN created END,
                    CASE WHEN type = 'corrective' AND n % 2 = 0 AND NOT open
                         THEN created + (1 + n % 8) * interval '1 hour' END,
                    CASE WHEN type = 'corrective' AND n % 2 = 0 AND NOT open
                         THEN (1 + n % 8) * 60 END,
                    60 + n % 180
             FROM machines m, o",
        )
        .bind(i64::try_from(orders)?)
        .execute(tx.conn())
        .await?;
        eprintln!("logging time…");
        sqlx::query(
            "INSERT INTO time_entries (id, work_order_id, user_id, minutes, started_at, created_at)
             SELECT gen_random_uuid(), id, $1, 30 + abs(hashtext(number)) % 150, started_at,
                    COALESCE(completed_at, created_at)
             FROM work_orders WHERE started_at IS NOT NULL",
        )
        .bind(Uuid::now_v7())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "SET statement_timeout = 0; SET search_path = {}; ANALYZE;",
            tenant.schema().quoted()
        )))
        .execute(pool)
        .await?;
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
