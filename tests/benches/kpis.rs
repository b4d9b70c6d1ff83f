//! Indicators at scale: one company with 1,000 machines on two sites in different time zones and
//! a million work orders over ten years (60% corrective, half of them with a stop; 30%
//! preventive; 10% inspections; 2% still open), each with a time entry. Measures the whole
//! indicator set over ten years by month, and one month of one site, loading included, and
//! the process's peak memory.
//!
//! `cargo bench -p gmao-tests --bench kpis` (release, durable throwaway cluster).
//! `GMAO_BENCH_ORDERS` changes the count. Record results in docs/benchmarks.md.

use std::time::Instant;

use chrono::{Datelike, TimeZone, Utc};
use gmao_db::{Actor, TenantTx};
use gmao_domain::TenantSlug;
use gmao_kpi::{Grouping, Query, Scope};
use gmao_tests::bench::{env_count, summary};
use uuid::Uuid;

/// The process's peak resident memory so far, in MiB (Linux).
fn peak_mib() -> f64 {
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

fn main() -> anyhow::Result<()> {
    let orders = env_count("GMAO_BENCH_ORDERS", 1_000_000);
    let runs = env_count("GMAO_BENCH_RUNS", 5);
    // GMAO_BENCH_TRACE=gmao_kpi=debug prints each COPY's time; =trace, its plan too.
    if std::env::var_os("GMAO_BENCH_TRACE").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(std::env::var("GMAO_BENCH_TRACE").unwrap_or_default())
            .with_writer(std::io::stderr)
            .init();
    }
    let url = gmao_tests::durable_database_url();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let pool = gmao_tests::pool_on(&url, 4).await;
        let setup = Instant::now();
        let slug = TenantSlug::parse("kpi-bench").map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let mut tx = pool.begin().await?;
        let tenant = gmao_db::tenants::create_and_provision(&mut tx, &slug, "Bench").await?;
        tx.commit().await?;
        let tenant_id = tenant.tenant_id();
        // Setup, written directly: not what is measured.
        let mut tx = TenantTx::begin(&pool, tenant_id, Actor::system()).await?;
        gmao_db::sqlx::raw_sql(
            "SET LOCAL statement_timeout = 0;
             INSERT INTO sites (id, code, name, time_zone) VALUES
                 (gen_random_uuid(), 'LYON', 'Lyon', 'Europe/Paris'),
                 (gen_random_uuid(), 'MTL', 'Montréal', 'America/Toronto');
             INSERT INTO equipment (id, code, name, site_id)
             SELECT gen_random_uuid(), 'M' || n, 'Machine ' || n,
                    (SELECT id FROM sites ORDER BY code OFFSET n % 2 LIMIT 1)
             FROM generate_series(0, 999) AS n;",
        )
        .execute(tx.conn())
        .await?;
        eprintln!("inserting {orders} work orders over ten years…");
        gmao_db::sqlx::query(
            "WITH machines AS (SELECT array_agg(id ORDER BY code) AS ids,
                                      array_agg(site_id ORDER BY code) AS sites FROM equipment),
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
        gmao_db::sqlx::query(
            "INSERT INTO time_entries (id, work_order_id, user_id, minutes, started_at, created_at)
             SELECT gen_random_uuid(), id, $1, 30 + abs(hashtext(number)) % 150, started_at,
                    COALESCE(completed_at, created_at)
             FROM work_orders WHERE started_at IS NOT NULL",
        )
        .bind(Uuid::now_v7())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        gmao_db::sqlx::raw_sql(gmao_db::sqlx::AssertSqlSafe(format!(
            "SET statement_timeout = 0; SET search_path = {}; ANALYZE;",
            tenant_id.schema().quoted()
        )))
        .execute(&pool)
        .await?;
        eprintln!("setup: {:.1} s", setup.elapsed().as_secs_f64());

        let before = peak_mib();
        let measure = async |name: &str, runs: usize, scope: Scope, query: Query| {
            let (mut total, mut loads, mut computes) = (vec![], vec![], vec![]);
            let mut rows = 0;
            for _ in 0..runs {
                let started = Instant::now();
                let mut tx = TenantTx::begin(&pool, tenant_id, Actor::system()).await?;
                let history = gmao_kpi::load(&mut tx, &scope, query.from, query.to).await?;
                tx.commit().await?;
                let loaded = started.elapsed();
                let report = gmao_kpi::compute(&history, &query)?;
                total.push(started.elapsed());
                loads.push(loaded);
                computes.push(started.elapsed() - loaded);
                rows = history.orders.height();
                std::hint::black_box(report);
            }
            println!("{name} ({rows} orders loaded): {}", summary(&mut total));
            println!("    of which loading: {}", summary(&mut loads));
            println!("    of which computing: {}", summary(&mut computes));
            anyhow::Ok(())
        };
        let now = Utc::now();
        measure(
            "every indicator, ten years by month, whole company",
            runs,
            Scope::default(),
            Query {
                from: now - chrono::Duration::days(3652),
                to: now,
                as_of: now,
                grouping: Some(Grouping::Month),
            },
        )
        .await?;
        println!(
            "peak memory: {:.0} MiB (before the first query: {before:.0} MiB)",
            peak_mib()
        );
        let lyon: Uuid = gmao_db::sqlx::query_scalar(gmao_db::sqlx::AssertSqlSafe(format!(
            "SELECT id FROM {}.sites WHERE code = 'LYON'",
            tenant_id.schema().quoted()
        )))
        .fetch_one(&pool)
        .await?;
        let month_start = chrono_tz::Europe::Paris
            .with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0)
            .earliest()
            .map_or(now, |t| t.with_timezone(&Utc));
        let last_month = month_start - chrono::Duration::days(20);
        let from = chrono_tz::Europe::Paris
            .with_ymd_and_hms(last_month.year(), last_month.month(), 1, 0, 0, 0)
            .earliest()
            .map_or(now, |t| t.with_timezone(&Utc));
        measure(
            "every indicator, last month by day, one site",
            runs * 6,
            Scope {
                site_ids: Some(vec![lyon]),
                ..Scope::default()
            },
            Query {
                from,
                to: month_start,
                as_of: now,
                grouping: Some(Grouping::Day),
            },
        )
        .await?;
        Ok(())
    })
}
