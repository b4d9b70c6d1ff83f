//! Tenancy figures: time to provision one tenant (schema, every tenant migration, built-in
//! roles, in one transaction), and a no-op `migrate` pass over many tenants.
//!
//! `cargo bench -p gmao-tests --bench tenancy` (release build, durable throwaway cluster).
//! `GMAO_BENCH_TENANTS` sets how many tenants (default 1000). Record results in
//! docs/benchmarks.md with the machine.

use std::time::{Duration, Instant};

use gmao_db::migrate::{self, MigrateAllOptions};
use gmao_domain::TenantSlug;

fn main() -> anyhow::Result<()> {
    let tenants: usize = std::env::var("GMAO_BENCH_TENANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let url = gmao_tests::durable_database_url();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let pool = gmao_tests::pool_on(&url, 16).await;
        let started = Instant::now();
        let mut durations = Vec::with_capacity(tenants);
        for i in 0..tenants {
            let slug = TenantSlug::parse(&format!("bench-{i:05}"))
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let one = Instant::now();
            let mut tx = pool.begin().await?;
            gmao_db::tenants::create_and_provision(&mut tx, &slug, "Bench").await?;
            tx.commit().await?;
            durations.push(one.elapsed());
            if (i + 1) % 100 == 0 {
                eprintln!("provisioned {}/{tenants}", i + 1);
            }
        }
        let total = started.elapsed();
        durations.sort();
        let pct = |p: f64| durations[((durations.len() as f64 - 1.0) * p) as usize];
        let mean = total / tenants as u32;
        println!(
            "provisioning ({tenants} tenants, one at a time, {} tenant migrations):",
            migrate::latest_tenant_version()
        );
        println!(
            "  mean {}  p50 {}  p95 {}  max {}",
            ms(mean),
            ms(pct(0.5)),
            ms(pct(0.95)),
            ms(pct(1.0))
        );

        for concurrency in [8usize, 16] {
            let started = Instant::now();
            let report = migrate::migrate_tenants(
                &pool,
                &MigrateAllOptions {
                    concurrency,
                    only: None,
                },
                &|_| {},
            )
            .await?;
            let elapsed = started.elapsed();
            anyhow::ensure!(report.failed().count() == 0, "failures in the no-op pass");
            anyhow::ensure!(report.migrated_count() == 0, "the pass was not a no-op");
            println!(
                "no-op migrate over {} tenants, concurrency {concurrency}: {} ({} per tenant)",
                report.tenants.len(),
                ms(elapsed),
                ms(elapsed / report.tenants.len().max(1) as u32)
            );
        }
        Ok(())
    })
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
