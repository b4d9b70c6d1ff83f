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
use gmao_tests::bench::{env_count, peak_mib, summary};
use uuid::Uuid;

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
        gmao_tests::bench::large_company(&pool, tenant_id, orders).await?;
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
                breakdown: None,
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
                breakdown: None,
            },
        )
        .await?;
        Ok(())
    })
}
