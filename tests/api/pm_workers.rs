//! Exactly once with real worker processes: three `gmao worker`s generate preventive orders for
//! many tenants; one is killed with SIGKILL in the middle and restarted. Every due occurrence
//! gets one order: none missed, none twice, none half-written. Every database connection is also
//! cut in the middle, as a database restart would.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use gmao_db::pm_plans::{self, PlanInput};
use gmao_db::{Actor, TenantTx, equipment, sites};
use gmao_domain::maintenance::EquipmentStatus;
use gmao_domain::{TenantId, TenantSlug};
use gmao_tests::ScratchDatabase as Scratch;
use serde_json::json;

const TENANTS: usize = 40;
const PLANS_PER_TENANT: usize = 30;

fn gmao_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| panic!("no target dir"));
    dir.join("gmao")
}

fn worker(url: &str, data_dir: &Path) -> Child {
    Command::new(gmao_binary())
        .args(["--data-dir"])
        .arg(data_dir)
        .arg("worker")
        .env("GMAO_DATABASE_URL", url)
        .env("GMAO_PM_SWEEP_CRON", "*/2 * * * * *")
        .env("GMAO_WORKER__CONCURRENCY", "2")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start gmao worker: {e}"))
}

fn kill(child: &mut Child, signal: &str) {
    let _ = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status();
    let _ = child.wait();
}

/// A database of the test's own, so that its workers sweep only its tenants.
async fn scratch_database() -> Scratch {
    Scratch::create("pm").await
}

/// A company with a site, a machine and `plans` daily plans (three days of lead time) from
/// `start`; answers its id and the occurrences due at `start`.
async fn company_with_daily_plans(
    pool: &gmao_db::PgPool,
    slug: &str,
    plans: usize,
    start: chrono::DateTime<Utc>,
) -> (TenantId, Vec<(uuid::Uuid, String)>) {
    let mut due = Vec::new();
    let slug = TenantSlug::parse(slug).unwrap_or_else(|e| panic!("{e:?}"));
    let mut tx = pool.begin().await.unwrap_or_else(|e| panic!("{e}"));
    let tenant = gmao_db::tenants::create_and_provision(&mut tx, &slug, "PM")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
    let mut tx = TenantTx::begin(pool, TenantId(tenant.id), Actor::system())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let site = sites::create(
        &mut tx,
        sites::SiteInput {
            code: "S".into(),
            name: "Site".into(),
            address: None,
            time_zone: "Europe/Paris".into(),
            public_requests: false,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let machine = equipment::create(
        &mut tx,
        equipment::EquipmentInput {
            code: "M".into(),
            name: "Machine".into(),
            category: None,
            manufacturer: None,
            model: None,
            serial_number: None,
            purchase_date: None,
            installation_date: None,
            warranty_end: None,
            criticality: "high".into(),
            location: equipment::Location {
                site_id: site.id,
                plant_id: None,
                production_line_id: None,
            },
            parent_id: None,
            specifications: json!({}),
            notes: None,
        },
        EquipmentStatus::Active,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    for p in 0..plans {
        let plan = pm_plans::create(
            &mut tx,
            PlanInput {
                equipment_id: machine.id,
                site_id: site.id,
                title: format!("Plan {p}"),
                description: None,
                checklist: json!([{"label": "Contrôle", "kind": "checkbox", "required": true}, {"label": "Mesure", "kind": "number"}]),
                estimated_minutes: Some(30),
                assignee_ids: vec![],
                priority: "normal".into(),
                starts_on: start.date_naive(),
                ends_on: None,
                lead_time_days: 3,
                trigger_kind: "calendar".into(),
                cal_every: Some(1),
                cal_unit: Some("day".into()),
                cal_weekdays: vec![],
                cal_day_of_month: None,
                meter_id: None,
                meter_every: None,
                schedule_mode: "fixed".into(),
                active: true,
            },
            start,
            pm_plans::FirstOccurrence::FromStart,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        for o in gmao_domain::pm::to_generate(&plan.schedule(), &[], &[], None, start) {
            due.push((plan.id, o.occurrence));
        }
    }
    tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
    (TenantId(tenant.id), due)
}

#[tokio::test]
async fn three_workers_one_killed_generate_every_occurrence_exactly_once() {
    let Scratch {
        admin,
        name,
        url,
        pool,
    } = scratch_database().await;

    // Tenants, each with plans due today and in the coming days (daily, three days of lead).
    let start = Utc::now();
    let mut expected: HashSet<(uuid::Uuid, String)> = HashSet::new();
    for t in 0..TENANTS {
        let (_, due) =
            company_with_daily_plans(&pool, &format!("pm-worker-{t}"), PLANS_PER_TENANT, start)
                .await;
        expected.extend(due);
    }
    assert!(
        expected.len() >= TENANTS * PLANS_PER_TENANT * 3,
        "{} occurrences expected",
        expected.len()
    );

    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut workers: Vec<Child> = (0..3).map(|_| worker(&url, data.path())).collect();
    let count = |pool: gmao_db::PgPool| async move {
        let schemas: Vec<String> =
            gmao_db::sqlx::query_scalar("SELECT schema_name FROM public.tenants")
                .fetch_all(&pool)
                .await
                .unwrap_or_default();
        let mut total = 0i64;
        let mut rows = Vec::new();
        for schema in schemas {
            let found: Vec<(uuid::Uuid, String, i64)> = gmao_db::sqlx::query_as(gmao_db::sqlx::AssertSqlSafe(format!(
                "SELECT w.pm_plan_id, w.pm_occurrence, (SELECT count(*) FROM \"{schema}\".checklist_items c WHERE c.work_order_id = w.id)
                 FROM \"{schema}\".work_orders w WHERE w.pm_plan_id IS NOT NULL"
            )))
            .fetch_all(&pool)
            .await
            .unwrap_or_default();
            total += found.len() as i64;
            rows.extend(found);
        }
        (total, rows)
    };

    // Kill one worker with SIGKILL as soon as generation is under way, then restart it.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (total, _) = count(pool.clone()).await;
        if total > 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no worker generated anything within a minute"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    kill(&mut workers[0], "-KILL");
    let (at_kill, _) = count(pool.clone()).await;
    // What a database restart looks like to the workers: every connection drops at once and
    // every open transaction rolls back. They must reconnect and carry on.
    let dropped: Vec<bool> = gmao_db::sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()",
    )
    .bind(&name)
    .fetch_all(&admin)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(!dropped.is_empty(), "the workers held no connection");
    workers[0] = worker(&url, data.path());

    // Every expected occurrence appears.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (_, rows) = count(pool.clone()).await;
        let present: HashSet<(uuid::Uuid, String)> =
            rows.iter().map(|(p, o, _)| (*p, o.clone())).collect();
        if expected.is_subset(&present) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{} of {} occurrences after two minutes",
            present.len(),
            expected.len()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Let a few more sweeps run over the finished state: they must add nothing twice.
    tokio::time::sleep(Duration::from_secs(5)).await;
    for w in &mut workers {
        let exited = w.try_wait().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            exited.is_none(),
            "a worker died after losing its connections: {exited:?}"
        );
    }
    for mut w in workers {
        kill(&mut w, "-TERM");
    }
    let (_, rows) = count(pool.clone()).await;
    let distinct: HashSet<(uuid::Uuid, String)> =
        rows.iter().map(|(p, o, _)| (*p, o.clone())).collect();
    assert_eq!(distinct.len(), rows.len(), "an occurrence got two orders");
    assert!(
        rows.iter().all(|(_, _, items)| *items == 2),
        "an order was written without its checklist"
    );
    // Anything beyond the expected set is an occurrence that came within the lead time while the
    // test ran (the clock moved), never an invented one.
    for (_, occurrence, _) in &rows {
        assert!(occurrence.starts_with("cal:"), "{occurrence}");
    }
    println!(
        "worker killed with {at_kill} of {} orders generated",
        expected.len()
    );
    Scratch {
        admin,
        name,
        url,
        pool,
    }
    .drop()
    .await;
}

#[tokio::test]
async fn a_failing_company_is_retried_and_reported_while_the_others_get_their_work() {
    let scratch = scratch_database().await;
    let pool = scratch.pool.clone();
    let start = Utc::now();
    let (healthy, due) = company_with_daily_plans(&pool, "pm-healthy", 3, start).await;
    let (broken, _) = company_with_daily_plans(&pool, "pm-broken", 3, start).await;
    // The broken company's generation fails every time, half-way (its timeline table is gone).
    gmao_db::sqlx::query(gmao_db::sqlx::AssertSqlSafe(format!(
        "ALTER TABLE {}.work_order_events RENAME TO work_order_events_lost",
        broken.schema().quoted()
    )))
    .execute(&pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));

    let settings = gmao_workers::WorkerSettings {
        concurrency: 2,
        housekeeping_cron: "0 0 0 1 1 *".to_owned(),
        pm_sweep_cron: "*/2 * * * * *".to_owned(),
        leader_lock_key: (uuid::Uuid::new_v4().as_u128() as i64 & 0x3FFF_FFFF_7FFF_FFFF)
            | 0x0100_0000_0000_0001,
        shutdown_grace: Duration::from_secs(5),
        ..Default::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(gmao_workers::run(pool.clone(), settings, async move {
        let _ = stopped.await;
    }));
    let orders_of = |tenant: TenantId| {
        let pool = pool.clone();
        async move {
            gmao_db::sqlx::query_scalar::<_, i64>(gmao_db::sqlx::AssertSqlSafe(format!(
                "SELECT count(*) FROM {}.work_orders",
                tenant.schema().quoted()
            )))
            .fetch_one(&pool)
            .await
            .unwrap_or(0)
        }
    };
    // The healthy company gets its work while the other one's job is still being retried.
    let deadline = Instant::now() + Duration::from_secs(30);
    while orders_of(healthy).await < due.len() as i64 {
        assert!(Instant::now() < deadline, "the healthy company got nothing");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The broken one is retried with back-off, then reported failed with its error.
    let deadline = Instant::now() + Duration::from_secs(120);
    let failed = loop {
        let (jobs, _) =
            gmao_workers::queue::tenant_jobs(&pool, broken, Some(&["Failed", "Killed"]), 10, 0)
                .await
                .unwrap_or_else(|e| panic!("{e:#}"));
        if let Some(job) = jobs.into_iter().next() {
            break job;
        }
        assert!(
            Instant::now() < deadline,
            "the broken company's job never ended failed"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert_eq!(failed.attempts, failed.max_attempts, "{failed:?}");
    assert!(
        failed
            .last_result
            .as_ref()
            .is_some_and(|r| r.to_string().contains("work_order_events")),
        "{failed:?}"
    );
    assert_eq!(
        orders_of(broken).await,
        0,
        "a failed generation left nothing"
    );
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(20), worker).await;
    scratch.drop().await;
}
