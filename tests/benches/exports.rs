//! A million work orders exported through the HTTP API, as a client downloads them: time to
//! the first byte, total time, rows, and the process's peak memory (the server runs in this
//! process), which must not grow with the number of rows.
//!
//! `cargo bench -p gmao-tests --bench exports` (release, durable throwaway cluster).
//! `GMAO_BENCH_ORDERS` changes the count. Record results in docs/benchmarks.md.

use std::time::Instant;

use futures::StreamExt;
use gmao_domain::TenantId;
use gmao_tests::bench::{env_count, large_company, peak_mib};
use gmao_tests::{TestApp, pool_on, test_settings};

fn main() -> anyhow::Result<()> {
    let orders = env_count("GMAO_BENCH_ORDERS", 1_000_000);
    let url = gmao_tests::durable_database_url();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let app = TestApp::spawn_on(pool_on(&url, 10).await, test_settings()).await;
        let company = app.signup().await;
        let tenant = TenantId(company.tenant_id.parse()?);
        let setup = Instant::now();
        large_company(&app.pool, tenant, orders).await?;
        eprintln!("setup: {:.1} s", setup.elapsed().as_secs_f64());

        for format in ["csv", "xlsx"] {
            let before = peak_mib();
            let started = Instant::now();
            let response = app
                .client
                .get(app.url(&format!("/api/v1/work-orders/export?format={format}")))
                .bearer_auth(&company.admin.token)
                .send()
                .await?
                .error_for_status()?;
            let first_byte = started.elapsed();
            let mut stream = response.bytes_stream();
            let (mut bytes, mut lines) = (0usize, 0usize);
            while let Some(chunk) = stream.next().await {
                let chunk = chunk?;
                bytes += chunk.len();
                lines += chunk.iter().filter(|b| **b == b'\n').count();
            }
            let total = started.elapsed();
            let rows = if format == "csv" {
                format!("{} rows", lines.saturating_sub(1))
            } else {
                "rows in a zip".to_owned()
            };
            println!(
                "{format}: {rows}, {:.1} MiB in {:.1} s (first byte after {:.0} ms); peak memory {:.0} MiB (before: {before:.0} MiB)",
                bytes as f64 / 1_048_576.0,
                total.as_secs_f64(),
                first_byte.as_secs_f64() * 1000.0,
                peak_mib()
            );
        }
        anyhow::Ok(())
    })
}
