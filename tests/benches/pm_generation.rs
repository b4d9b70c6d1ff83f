//! Preventive generation throughput: 100,000 plans across 1,000 tenants generate their due
//! orders (one each), as the workers would, several tenants at a time.
//!
//! `cargo bench -p gmao-tests --bench pm_generation` (release, durable throwaway cluster).
//! `GMAO_BENCH_TENANTS` and `GMAO_BENCH_PLANS` change the sizes; `GMAO_BENCH_CONCURRENCY` the
//! number of tenants generated at once (default 8). Record results in docs/benchmarks.md.

use std::time::Instant;

use chrono::Utc;
use futures::StreamExt;
use gmao_domain::{TenantId, TenantSlug};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> anyhow::Result<()> {
    let tenants = env("GMAO_BENCH_TENANTS", 1000);
    let plans = env("GMAO_BENCH_PLANS", 100);
    let concurrency = env("GMAO_BENCH_CONCURRENCY", 8);
    let url = gmao_tests::durable_database_url();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let pool = gmao_tests::pool_on(&url, (concurrency as u32 + 4).max(10)).await;
        let setup = Instant::now();
        let mut ids = Vec::with_capacity(tenants);
        for t in 0..tenants {
            let slug = TenantSlug::parse(&format!("pmb-{t:05}")).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let mut tx = pool.begin().await?;
            let tenant = gmao_db::tenants::create_and_provision(&mut tx, &slug, "Bench").await?;
            let schema = tenant.tenant_id().schema();
            // Plans written directly: this is setup, not what is measured.
            gmao_db::sqlx::raw_sql(gmao_db::sqlx::AssertSqlSafe(format!(
                "SET LOCAL search_path = {q}, public;
                 INSERT INTO sites (id, code, name, time_zone) VALUES (gen_random_uuid(), 'S', 'Site', 'Europe/Paris');
                 INSERT INTO equipment (id, code, name, site_id) SELECT gen_random_uuid(), 'M', 'Machine', id FROM sites;
                 INSERT INTO pm_plans (id, equipment_id, site_id, title, checklist, starts_on, lead_time_days,
                        trigger_kind, cal_every, cal_unit, generate_from)
                 SELECT gen_random_uuid(), e.id, e.site_id, 'Plan ' || n,
                        '[{{\"label\": \"Contrôle\", \"kind\": \"checkbox\", \"required\": true}}]',
                        current_date, 7, 'calendar', 1, 'month', date_trunc('day', now())
                 FROM equipment e, generate_series(1, {plans}) AS n;",
                q = schema.quoted()
            )))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            ids.push(tenant.tenant_id());
            if (t + 1) % 100 == 0 {
                eprintln!("set up {}/{tenants} tenants", t + 1);
            }
        }
        eprintln!("setup: {:.1} s", setup.elapsed().as_secs_f64());

        let now = Utc::now();
        let started = Instant::now();
        let results: Vec<anyhow::Result<gmao_db::pm_generation::GenerationReport>> = futures::stream::iter(ids.clone())
            .map(|tenant: TenantId| {
                let pool = pool.clone();
                async move { gmao_workers::pm::generate_for_tenant(&pool, tenant, now, None).await }
            })
            .buffer_unordered(concurrency)
            .collect()
            .await;
        let elapsed = started.elapsed();
        let mut created = 0;
        for result in results {
            created += result?.created;
        }
        anyhow::ensure!(created == tenants * plans, "expected {} orders, created {created}", tenants * plans);
        println!(
            "generated {created} preventive orders for {} plans across {tenants} tenants, {concurrency} tenants at a time: {:.2} s ({:.0} orders/s)",
            tenants * plans,
            elapsed.as_secs_f64(),
            created as f64 / elapsed.as_secs_f64()
        );

        // The next sweep finds nothing to do: how long does checking everything take?
        let started = Instant::now();
        let mut again = 0;
        let mut stream = futures::stream::iter(ids)
            .map(|tenant| {
                let pool = pool.clone();
                async move { gmao_workers::pm::generate_for_tenant(&pool, tenant, now, None).await }
            })
            .buffer_unordered(concurrency);
        while let Some(result) = stream.next().await {
            again += result?.created;
        }
        anyhow::ensure!(again == 0, "a second sweep created {again} orders");
        println!("a second sweep over the same plans: {:.2} s, nothing created", started.elapsed().as_secs_f64());
        Ok(())
    })
}
