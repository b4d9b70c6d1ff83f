//! "Mon travail" at scale: one company with a million work orders over 40 technicians (years
//! of closed work, 2% open), the busiest with 5,000 open orders. Measures the grouped summary,
//! a page deep in a bucket and a search, and prints the ranked query's plan.
//!
//! `cargo bench -p gmao-tests --bench my_work` (release, durable throwaway cluster).
//! `GMAO_BENCH_ORDERS` changes the count. Record results in docs/benchmarks.md.

use std::time::Instant;

use gmao_db::my_work::{self, MyWorkQuery};
use gmao_db::{Actor, TenantTx};
use gmao_domain::TenantSlug;
use gmao_domain::maintenance::WorkBucket;
use gmao_tests::bench::{env_count, summary};
use uuid::Uuid;

fn main() -> anyhow::Result<()> {
    let orders = env_count("GMAO_BENCH_ORDERS", 1_000_000);
    let url = gmao_tests::durable_database_url();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let pool = gmao_tests::pool_on(&url, 4).await;
        let setup = Instant::now();
        let slug = TenantSlug::parse("my-work-bench").map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let mut tx = pool.begin().await?;
        let tenant = gmao_db::tenants::create_and_provision(&mut tx, &slug, "Bench").await?;
        tx.commit().await?;
        let tenant_id = tenant.tenant_id();
        let technicians: Vec<Uuid> = (0..40).map(|_| Uuid::now_v7()).collect();
        let busiest = technicians[0];
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
             FROM generate_series(0, 199) AS n;",
        )
        .execute(tx.conn())
        .await?;
        eprintln!("inserting {orders} work orders…");
        gmao_db::sqlx::query(
            "WITH machines AS (SELECT array_agg(id ORDER BY code) AS ids, array_agg(site_id ORDER BY code) AS sites FROM equipment)
             INSERT INTO work_orders (id, number, type, priority, status, equipment_id, site_id, title,
                                      due_at, origin, created_at)
             SELECT gen_random_uuid(), 'BT-' || lpad(n::text, 7, '0'), 'corrective',
                    (ARRAY['low', 'normal', 'high', 'urgent'])[1 + n % 4],
                    CASE WHEN n % 50 = 0 THEN (ARRAY['assigned', 'in_progress', 'on_hold'])[1 + abs(hashint4(n::int)::bigint) % 3]
                         ELSE 'closed' END,
                    m.ids[1 + n % 200], m.sites[1 + n % 200], 'Intervention ' || n,
                    CASE WHEN n % 7 = 0 THEN NULL ELSE now() + (abs(hashint4((n * 3)::int)::bigint) % 400 - 200) * interval '1 day' END, 'manual',
                    now() - n * interval '1 minute'
             FROM machines m, generate_series(1, $1) AS n",
        )
        .bind(i64::try_from(orders)?)
        .execute(tx.conn())
        .await?;
        eprintln!("assigning them…");
        gmao_db::sqlx::query(
            "INSERT INTO work_order_assignees (work_order_id, user_id, assigned_at)
             SELECT id, ($1::uuid[])[1 + CASE WHEN n % 200 = 0 OR n % 40 = 1 THEN 0 ELSE 1 + abs(hashint4(n)::bigint) % 39 END],
                    created_at
             FROM (SELECT id, created_at, substring(number FROM 4)::int AS n FROM work_orders) AS o",
        )
        .bind(&technicians)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        gmao_db::sqlx::raw_sql(gmao_db::sqlx::AssertSqlSafe(format!(
            "SET statement_timeout = 0; SET search_path = {}; ANALYZE work_orders; ANALYZE work_order_assignees;",
            tenant_id.schema().quoted()
        )))
        .execute(&pool)
        .await?;
        eprintln!("setup: {:.1} s", setup.elapsed().as_secs_f64());

        let runs = 30;
        let measure = async |name: &str, query: MyWorkQuery| -> anyhow::Result<()> {
            let mut durations = Vec::with_capacity(runs);
            let mut total = 0;
            for _ in 0..runs {
                let started = Instant::now();
                let mut tx = TenantTx::begin(&pool, tenant_id, Actor::system()).await?;
                let buckets = my_work::read(&mut tx, None, &query).await?;
                tx.commit().await?;
                durations.push(started.elapsed());
                total = buckets.iter().map(|b| b.total).sum::<i64>();
            }
            println!("{name} ({total} orders): {}", summary(&mut durations));
            Ok(())
        };
        let all = MyWorkQuery {
            user_id: busiest,
            buckets: WorkBucket::ALL.to_vec(),
            q: None,
            offset: 0,
            limit: 20,
        };
        measure("grouped summary, 20 per bucket", all.clone()).await?;
        measure(
            "page 50 of 'later', 20 per page",
            MyWorkQuery { buckets: vec![WorkBucket::Later], offset: 49 * 20, ..all.clone() },
        )
        .await?;
        measure(
            "search 'Intervention 12'",
            MyWorkQuery { q: Some("Intervention 12".into()), ..all.clone() },
        )
        .await?;
        measure(
            "an ordinary technician's summary",
            MyWorkQuery { user_id: technicians[7], ..all.clone() },
        )
        .await?;

        let mut tx = TenantTx::begin(&pool, tenant_id, Actor::system()).await?;
        let buckets: Vec<&str> = WorkBucket::ALL.iter().map(|b| b.as_str()).collect();
        let plan: Vec<String> = gmao_db::sqlx::query_scalar(gmao_db::sqlx::AssertSqlSafe(format!(
            "EXPLAIN (ANALYZE, BUFFERS) {}",
            my_work::RANKED
        )))
        .bind(busiest)
        .bind(None::<Vec<Uuid>>)
        .bind(None::<String>)
        .bind(&buckets)
        .bind(0_i64)
        .bind(20_i64)
        .fetch_all(tx.conn())
        .await?;
        tx.commit().await?;
        println!("plan of the ranked query for the busiest technician:\n{}", plan.join("\n"));
        Ok(())
    })
}
