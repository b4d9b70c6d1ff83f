//! The demo company: complete, idempotent, and usable by every role.

use gmao_tests::TestApp;
use gmao_tests::client::person_from;

/// Seeding runs one at a time, as `gmao demo` does: both tests seed the shared database's demo.
static SEEDING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test]
async fn demo_seeding_is_idempotent_and_every_person_can_log_in() {
    let _seeding = SEEDING.lock().await;
    let app = TestApp::spawn().await;
    let first = gmao_db::demo::seed(&app.pool, &|_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let second = gmao_db::demo::seed(&app.pool, &|_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!second.tenant_created);
    assert_eq!(first.people.len(), 5);

    let admin = person_from(
        &app.login("admin@demo.test", gmao_db::demo::PASSWORD, Some("demo"))
            .await
            .expect(200)
            .body,
    );
    let tenant = app.get(&admin.token, "/tenant").await.expect(200);
    assert_eq!(tenant.body["counts"]["sites"], 2);
    assert_eq!(tenant.body["counts"]["plants"], 4);
    assert_eq!(tenant.body["counts"]["production_lines"], 7);
    assert_eq!(tenant.body["counts"]["members"], 5);

    for (role, email) in &second.people {
        let reply = app
            .login(email, gmao_db::demo::PASSWORD, Some("demo"))
            .await
            .expect(200);
        let person = person_from(&reply.body);
        let me = app.get(&person.token, "/me").await.expect(200);
        assert_eq!(me.body["role"]["key"], role.key());
    }
    // A monthly KPI report to the supervisor, once however often the demo is seeded.
    let schedules = app.get(&admin.token, "/report-schedules").await.expect(200);
    assert_eq!(schedules.body["total"], 1, "{:#}", schedules.body);
    assert_eq!(schedules.body["items"][0]["frequency"]["kind"], "monthly");
    assert_eq!(
        schedules.body["items"][0]["recipients"]["member_ids"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    // Templates to start from, of both kinds.
    let templates = app.get(&admin.token, "/templates").await.expect(200);
    let kinds: Vec<&str> = templates.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"checklist") && kinds.contains(&"work_order"),
        "{kinds:?}"
    );
    // Specifications read as labelled fields with units.
    let specs = app
        .get(&admin.token, "/spec-templates?category=compresseur")
        .await
        .expect(200);
    assert_eq!(specs.body["items"][0]["fields"][0]["label"], "Puissance");
    assert_eq!(specs.body["items"][0]["fields"][0]["unit"], "kW");
    // Two years of history, and work in every state today.
    let equipment = app
        .get(&admin.token, "/equipment?per_page=200")
        .await
        .expect(200);
    let equipment_count = equipment.body["total"].as_i64().unwrap_or(0);
    assert!(
        (25..=40).contains(&equipment_count),
        "{equipment_count} equipment"
    );
    let closed = app
        .get(&admin.token, "/work-orders?status=closed&per_page=1")
        .await
        .expect(200)
        .body["total"]
        .as_i64()
        .unwrap_or(0);
    assert!(closed > 100, "only {closed} closed work orders");
    let oldest = app
        .get(&admin.token, "/work-orders?sort=created_at&per_page=1")
        .await
        .expect(200);
    let oldest = oldest.body["items"][0]["created_at"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    let oldest = chrono::DateTime::parse_from_rfc3339(&oldest)
        .map(|d| d.to_utc())
        .unwrap_or_else(|_| chrono::Utc::now());
    assert!(
        chrono::Utc::now() - oldest > chrono::Duration::days(600),
        "history starts {oldest}"
    );
    let open = app
        .get(
            &admin.token,
            "/work-orders?status=assigned,in_progress,on_hold,completed&per_page=1",
        )
        .await
        .expect(200)
        .body["total"]
        .as_i64()
        .unwrap_or(0);
    assert!(open >= 3, "only {open} orders under way");
    let inbox = app
        .get(&admin.token, "/requests?status=submitted")
        .await
        .expect(200)
        .body["total"]
        .as_i64()
        .unwrap_or(0);
    assert!(inbox >= 1, "no request waits for a decision");
    let first = equipment.body["items"]
        .as_array()
        .and_then(|items| items.iter().find(|e| e["code"] == "COMP-LYO-01"))
        .cloned()
        .unwrap_or_default();
    let meters = app
        .get(
            &admin.token,
            &format!(
                "/equipment/{}/meters",
                first["id"].as_str().unwrap_or_default()
            ),
        )
        .await
        .expect(200);
    assert!(
        meters.body["items"][0]["reading_count"]
            .as_i64()
            .is_some_and(|n| n >= 20),
        "{:#}",
        meters.body
    );
    let codes = app.get(&admin.token, "/failure-codes").await.expect(200);
    assert!(
        codes.body["items"]
            .as_array()
            .is_some_and(|c| c.len() >= 15)
    );

    // Preventive plans with two years of mostly punctual history, and today's work generated.
    let plans = app.get(&admin.token, "/pm-plans").await.expect(200);
    assert_eq!(plans.body["total"], 5);
    assert!(
        plans.body["items"].as_array().is_some_and(|p| p
            .iter()
            .any(|p| p["compliance"].as_f64().is_some_and(|c| c > 0.6 && c < 1.0))),
        "{:#}",
        plans.body
    );
    let preventive = app
        .get(
            &admin.token,
            "/work-orders?type=preventive&status=closed&per_page=1",
        )
        .await
        .expect(200);
    assert!(
        preventive.body["total"].as_i64().is_some_and(|n| n > 100),
        "{:#}",
        preventive.body["total"]
    );

    // The demo technician works on one site only.
    let tech = person_from(
        &app.login(
            "technicien@demo.test",
            gmao_db::demo::PASSWORD,
            Some("demo"),
        )
        .await
        .expect(200)
        .body,
    );
    assert_eq!(
        app.get(&tech.token, "/sites").await.expect(200).body["total"],
        1
    );
}

#[tokio::test]
async fn the_large_demo_company_is_filled_once_with_ten_years_of_orders() {
    let _seeding = SEEDING.lock().await;
    let app = TestApp::spawn().await;
    gmao_db::demo::seed(&app.pool, &|_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let steps = std::sync::Mutex::new(Vec::<String>::new());
    let progress = |step: &str| {
        if let Ok(mut steps) = steps.lock() {
            steps.push(step.to_owned());
        }
    };
    // Filled by this run or an earlier one on the same database, never twice.
    gmao_db::demo_large::seed(&app.pool, 3_000, &progress)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (_, again) = gmao_db::demo_large::seed(&app.pool, 3_000, &|_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!again);
    let steps = steps.into_inner().unwrap_or_default();
    if !steps.is_empty() {
        assert!(
            steps.iter().any(|s| s == "3000 of 3000 work orders"),
            "{steps:?}"
        );
    }

    // The demo's administrator runs it too.
    let admin = person_from(
        &app.login(
            "admin@demo.test",
            gmao_db::demo::PASSWORD,
            Some("demo-grande"),
        )
        .await
        .expect(200)
        .body,
    );
    let tenant = app.get(&admin.token, "/tenant").await.expect(200);
    assert_eq!(tenant.body["counts"]["sites"], 2);
    assert_eq!(tenant.body["counts"]["equipment"], 1000);
    let kpis = app
        .get(
            &admin.token,
            "/kpis?from=2016-01-01T00:00:00Z&breakdown=site",
        )
        .await
        .expect(200);
    // 60 % of the orders are corrective, all but the open ones dated by their stop or creation.
    let failures = kpis.body["mtbf"]["denominator"]
        .as_f64()
        .unwrap_or_default();
    assert!((1_700.0..=1_800.0).contains(&failures), "{failures}");
    assert_eq!(
        kpis.body["breakdown"]["rows"].as_array().map(Vec::len),
        Some(2)
    );
    assert!(
        kpis.body["labour"]["total_hours"]
            .as_f64()
            .unwrap_or_default()
            > 1_000.0
    );
}
