//! Preventive plans: rules, forecasts, exactly-once generation, skipping, pausing, meters, the
//! calendar and the jobs page.

use chrono::{Duration, Utc};
use gmao_domain::TenantId;
use gmao_tests::client::ids;
use gmao_tests::{Company, Person, TestApp};
use serde_json::{Value, json};

struct Shop {
    app: TestApp,
    company: Company,
    supervisor: Person,
    technician: Person,
    equipment: String,
    tenant: TenantId,
}

async fn shop() -> Shop {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let site = app.site(&company.admin.token, "Lyon").await;
    let equipment = app.equipment(&company.admin.token, &site, "PM").await;
    let supervisor = app.add_member(&company, "supervisor", None).await;
    let technician = app.add_member(&company, "technician", None).await;
    let tenant = TenantId(company.tenant_id.parse().unwrap_or_default());
    Shop {
        app,
        company,
        supervisor,
        technician,
        equipment,
        tenant,
    }
}

async fn generate(app: &TestApp, tenant: TenantId, as_of: chrono::DateTime<Utc>) -> usize {
    gmao_workers::pm::generate_for_tenant(&app.pool, tenant, as_of, None)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"))
        .created
}

/// The test sites' time zone.
const ZONE: chrono_tz::Tz = chrono_tz::Europe::Paris;

/// Today on the test sites.
/// A new meter on `equipment`.
async fn meter_on(app: &TestApp, admin: &str, equipment: &str, name: &str, unit: &str) -> String {
    app.post(
        admin,
        &format!("/equipment/{equipment}/meters"),
        json!({"name": name, "unit": unit}),
    )
    .await
    .expect(201)
    .id()
}

/// Records `value` on the meter, read `days_ago`.
async fn read(app: &TestApp, token: &str, meter: &str, value: f64, days_ago: i64) {
    app.post(
        token,
        &format!("/meters/{meter}/readings"),
        json!({"value": value, "read_at": (Utc::now() - Duration::days(days_ago)).to_rfc3339()}),
    )
    .await
    .expect(201);
}

fn today() -> String {
    Utc::now().with_timezone(&ZONE).date_naive().to_string()
}

/// Noon today on the test sites: after the plans' 08:00 due time, so that what falls due today
/// is due whatever the hour the tests run at.
fn noon() -> chrono::DateTime<Utc> {
    let noon = Utc::now()
        .with_timezone(&ZONE)
        .date_naive()
        .and_hms_opt(12, 0, 0)
        .unwrap_or_default();
    noon.and_local_timezone(ZONE)
        .single()
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_else(Utc::now)
}

#[tokio::test]
async fn a_calendar_plan_generates_each_occurrence_exactly_once() {
    let Shop {
        app,
        supervisor,
        technician,
        equipment,
        tenant,
        ..
    } = shop().await;
    let sv = &supervisor.token;
    let plan = app
        .post(sv, "/pm-plans", json!({
            "equipment_id": equipment, "title": "Graissage mensuel", "starts_on": today(), "first_occurrence": "from_start",
            "lead_time_days": 10, "priority": "high", "assignee_ids": [technician.id],
            "estimated_minutes": 45,
            "checklist": [{"label": "Graisser les paliers", "kind": "checkbox", "required": true},
                          {"label": "Température palier", "kind": "number", "unit": "°C", "max_value": 70}],
            "trigger": {"kind": "calendar", "every": 1, "unit": "month"}
        }))
        .await
        .expect(201);
    let plan_id = plan.id();
    assert_eq!(plan.body["trigger"]["kind"], "calendar");
    assert_eq!(plan.body["trigger"]["unit"], "month");
    assert_eq!(plan.body["trigger"]["every"], 1);
    assert!(plan.body["next_due_at"].is_string(), "{:#}", plan.body);
    assert_eq!(plan.body["assignees"][0]["id"], technician.id.as_str());
    assert!(
        plan.body["assignees"][0]["full_name"]
            .as_str()
            .is_some_and(|n| !n.is_empty()),
        "{:#}",
        plan.body
    );
    // The technician, who may not list assignable people, reads the names on the plan.
    let seen = app
        .get(&technician.token, &format!("/pm-plans/{}", plan.id()))
        .await
        .expect(200);
    assert_eq!(seen.body["assignees"], plan.body["assignees"]);

    let forecast = app
        .get(
            sv,
            &format!(
                "/pm-plans/{plan_id}/forecast?until={}",
                (Utc::now() + Duration::days(100)).date_naive()
            ),
        )
        .await
        .expect(200);
    let occurrences: Vec<&str> = forecast.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["occurrence"].as_str())
        .collect();
    assert_eq!(occurrences.len(), 4, "{occurrences:?}");
    assert_eq!(occurrences[0], format!("cal:{}", today()));
    // The forecast creates nothing.
    assert_eq!(
        app.get(sv, &format!("/work-orders?pm_plan_id={plan_id}"))
            .await
            .expect(200)
            .body["total"],
        0
    );

    // Generation: today's occurrence (within the 10 days of lead time), once, however often it runs.
    assert_eq!(generate(&app, tenant, noon()).await, 1);
    assert_eq!(generate(&app, tenant, noon()).await, 0);
    let (a, b) = tokio::join!(
        generate(&app, tenant, noon()),
        generate(&app, tenant, noon())
    );
    assert_eq!(a + b, 0);
    let orders = app
        .get(
            sv,
            &format!("/work-orders?pm_plan_id={plan_id}&type=preventive"),
        )
        .await
        .expect(200);
    assert_eq!(orders.body["total"], 1);
    let order = &orders.body["items"][0];
    assert_eq!(order["type"], "preventive");
    assert_eq!(order["origin"], "plan");
    assert_eq!(order["status"], "assigned");
    assert_eq!(order["priority"], "high");
    assert_eq!(order["estimated_minutes"], 45);
    assert_eq!(order["checklist_total"], 2);
    assert_eq!(order["assignees"][0]["id"], technician.id.as_str());
    assert!(
        order["number"]
            .as_str()
            .is_some_and(|n| n.starts_with("BT-"))
    );

    // A month later, the next one (and not again today's).
    assert_eq!(generate(&app, tenant, noon() + Duration::days(31)).await, 1);
    assert_eq!(
        app.get(sv, &format!("/work-orders?pm_plan_id={plan_id}"))
            .await
            .expect(200)
            .body["total"],
        2
    );
    let detail = app
        .get(sv, &format!("/pm-plans/{plan_id}"))
        .await
        .expect(200);
    assert_eq!(detail.body["generated_count"], 2);
    // The generated order's timeline says where it came from.
    let order_id = order["id"].as_str().unwrap_or_default();
    let events = app
        .get(sv, &format!("/work-orders/{order_id}/events"))
        .await
        .expect(200);
    assert_eq!(
        events.body["items"][0]["details"]["pm_plan_id"],
        plan_id.as_str()
    );
}

#[tokio::test]
async fn skipping_pausing_and_changing_the_rule() {
    let Shop {
        app,
        company,
        supervisor,
        equipment,
        tenant,
        ..
    } = shop().await;
    let sv = &supervisor.token;
    let body = |unit: &str| {
        json!({
            "equipment_id": equipment, "title": "Contrôle", "starts_on": today(), "first_occurrence": "from_start", "lead_time_days": 0,
            "trigger": {"kind": "calendar", "every": 1, "unit": unit}
        })
    };
    let plan = app
        .post(sv, "/pm-plans", body("week"))
        .await
        .expect(201)
        .id();
    // Skip today's occurrence: it is never generated.
    app.post(
        sv,
        &format!("/pm-plans/{plan}/skip"),
        json!({"occurrence": format!("cal:{}", today()), "reason": "Arrêt usine"}),
    )
    .await
    .expect(200);
    app.post(
        sv,
        &format!("/pm-plans/{plan}/skip"),
        json!({"occurrence": "cal:1999-01-01"}),
    )
    .await
    .expect_error(422, "unknown_occurrence");
    assert_eq!(generate(&app, tenant, noon()).await, 0);
    // The plan says what was skipped, when, why and by whom.
    let read = app.get(sv, &format!("/pm-plans/{plan}")).await.expect(200);
    let skipped = &read.body["skipped"];
    assert_eq!(skipped.as_array().map(Vec::len), Some(1), "{skipped}");
    assert_eq!(skipped[0]["occurrence"], format!("cal:{}", today()));
    assert_eq!(skipped[0]["due_on"], today());
    assert_eq!(skipped[0]["reason"], "Arrêt usine");
    assert_eq!(skipped[0]["skipped_by"]["id"], supervisor.id.as_str());
    // Taken back, the occurrence is due again and generated; a second unskip finds nothing.
    let unskipped = app
        .post(
            sv,
            &format!("/pm-plans/{plan}/unskip"),
            json!({"occurrence": format!("cal:{}", today())}),
        )
        .await
        .expect(200);
    assert_eq!(unskipped.body["skipped"], json!([]));
    app.post(
        sv,
        &format!("/pm-plans/{plan}/unskip"),
        json!({"occurrence": format!("cal:{}", today())}),
    )
    .await
    .expect_error(422, "not_skipped");
    let audit = app
        .get(
            &company.admin.token,
            &format!("/audit-log?entity=pm_plan&entity_id={plan}"),
        )
        .await
        .expect(200);
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"skip_occurrence") && actions.contains(&"unskip_occurrence"),
        "{actions:?}"
    );
    assert_eq!(generate(&app, tenant, noon()).await, 1);
    // Paused, nothing; resumed a week later, the week's occurrence comes, the paused one never.
    app.post(sv, &format!("/pm-plans/{plan}/pause"), json!({}))
        .await
        .expect(200);
    assert_eq!(generate(&app, tenant, noon() + Duration::days(7)).await, 0);
    let resumed = app
        .post(sv, &format!("/pm-plans/{plan}/resume"), json!({}))
        .await
        .expect(200);
    assert_eq!(resumed.body["active"], true);
    assert_eq!(generate(&app, tenant, noon() + Duration::days(7)).await, 1);
    // A new rule (monthly): the generated orders stay; the future follows the new rule.
    let changed = app
        .put(sv, &format!("/pm-plans/{plan}"), body("month"))
        .await
        .expect(200);
    assert_eq!(changed.body["trigger"]["unit"], "month");
    assert_eq!(
        app.get(sv, &format!("/work-orders?pm_plan_id={plan}"))
            .await
            .expect(200)
            .body["total"],
        2
    );
    let forecast = app
        .get(
            sv,
            &format!(
                "/pm-plans/{plan}/forecast?until={}",
                (Utc::now() + Duration::days(70)).date_naive()
            ),
        )
        .await
        .expect(200);
    let dates: Vec<&str> = forecast.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["occurrence"].as_str())
        .collect();
    assert!(dates.len() <= 3, "monthly now: {dates:?}");
    // Validation.
    let mut bad = body("month");
    bad["trigger"] = json!({"kind": "calendar", "every": 1, "unit": "month", "weekdays": ["mon"]});
    let refused = app
        .post(sv, "/pm-plans", bad)
        .await
        .expect_error(422, "weekdays_need_weekly_rule");
    assert!(
        refused.body["details"]["fields"]["trigger.weekdays"].is_object(),
        "{}",
        refused.body
    );
    let mut bad = body("month");
    bad["trigger"] = json!({"kind": "calendar", "every": 0, "unit": "month"});
    let refused = app
        .post(sv, "/pm-plans", bad)
        .await
        .expect_error(422, "out_of_range");
    assert_eq!(
        refused.body["details"]["fields"]["trigger.every"]["max"], 1000,
        "{}",
        refused.body
    );
    let mut bad = body("month");
    bad["ends_on"] = json!("2000-01-01");
    app.post(sv, "/pm-plans", bad)
        .await
        .expect_error(422, "before_start");
    let mut bad = body("month");
    bad["trigger"] = json!({"kind": "meter", "meter_id": uuid::Uuid::now_v7(), "every_units": 500});
    app.post(sv, "/pm-plans", bad)
        .await
        .expect_error(422, "unknown_meter");
    let mut bad = body("month");
    bad["trigger"] = json!({"kind": "lunar", "every": 1});
    app.post(sv, "/pm-plans", bad)
        .await
        .expect_error(400, "invalid_request");
}

#[tokio::test]
async fn meter_plans_follow_readings_and_readings_queue_a_generation() {
    let Shop {
        app,
        company,
        supervisor,
        equipment,
        tenant,
        ..
    } = shop().await;
    let sv = &supervisor.token;
    let meter = meter_on(&app, &company.admin.token, &equipment, "Heures", "h").await;
    read(&app, sv, &meter, 100.0, 10).await;
    let plan = app
        .post(sv, "/pm-plans", json!({
            "equipment_id": equipment, "title": "Vidange 500 h", "starts_on": today(), "first_occurrence": "from_start", "lead_time_days": 0,
            "trigger": {"kind": "meter", "meter_id": meter, "every_units": 500}
        }))
        .await
        .expect(201)
        .id();
    assert_eq!(generate(&app, tenant, Utc::now()).await, 0);
    // 100 → 1250 h: 600 and 1100 passed; one order, for 1100.
    let reading = app
        .post(
            sv,
            &format!("/meters/{meter}/readings"),
            json!({"value": 1250.0}),
        )
        .await
        .expect(201);
    let queued: i64 = gmao_db::sqlx::query_scalar(
        "SELECT count(*) FROM apalis.jobs WHERE job_type = 'pm_generation'
           AND convert_from(job, 'UTF8')::jsonb->>'tenant_id' = $1 AND convert_from(job, 'UTF8')::jsonb->>'meter_id' = $2",
    )
    .bind(tenant.0.to_string())
    .bind(&meter)
    .fetch_one(&app.pool)
    .await
    .unwrap_or(0);
    // One generation queued per reading (the first one, before the plan existed, included).
    assert_eq!(
        queued,
        2,
        "the reading {} queued a generation",
        reading.id()
    );
    assert_eq!(generate(&app, tenant, Utc::now()).await, 1);
    assert_eq!(generate(&app, tenant, Utc::now()).await, 0);
    let orders = app
        .get(sv, &format!("/work-orders?pm_plan_id={plan}"))
        .await
        .expect(200);
    assert_eq!(orders.body["total"], 1);
    let events = app
        .get(
            sv,
            &format!(
                "/work-orders/{}/events",
                orders.body["items"][0]["id"].as_str().unwrap_or_default()
            ),
        )
        .await
        .expect(200);
    assert_eq!(events.body["items"][0]["details"]["threshold"], 1100.0);
    app.post(
        sv,
        &format!("/meters/{meter}/readings"),
        json!({"value": 1600.0}),
    )
    .await
    .expect(201);
    assert_eq!(generate(&app, tenant, Utc::now()).await, 1);
}

#[tokio::test]
async fn the_calendar_shows_scheduled_work_and_forecasts() {
    let Shop {
        app,
        supervisor,
        technician,
        equipment,
        tenant,
        ..
    } = shop().await;
    let sv = &supervisor.token;
    let plan = app
        .post(sv, "/pm-plans", json!({
            "equipment_id": equipment, "title": "Inspection hebdo", "starts_on": today(), "first_occurrence": "from_start", "lead_time_days": 0,
            "assignee_ids": [technician.id], "trigger": {"kind": "calendar", "every": 1, "unit": "week"}
        }))
        .await
        .expect(201)
        .id();
    generate(&app, tenant, noon()).await;
    let from = (Utc::now() - Duration::days(1)).to_rfc3339();
    let to = (Utc::now() + Duration::days(30)).to_rfc3339();
    let query = |extra: &str| {
        format!(
            "/calendar?from={}&to={}{extra}",
            urlencode(&from),
            urlencode(&to)
        )
    };
    let calendar = app.get(sv, &query("")).await.expect(200);
    let entries = calendar.body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let kinds: Vec<&str> = entries.iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "work_order").count(),
        1,
        "{kinds:?}"
    );
    assert!(
        kinds.iter().filter(|k| **k == "forecast").count() >= 4,
        "{kinds:?}"
    );
    assert!(entries.iter().all(|e| e["pm_plan_id"] == plan.as_str()));
    assert!(
        entries
            .iter()
            .filter(|e| e["kind"] == "forecast")
            .all(|e| e["assignees"][0]["id"] == technician.id.as_str())
    );
    let mine = app
        .get(
            &technician.token,
            &query(&format!("&assignee_id={}", technician.id)),
        )
        .await
        .expect(200);
    assert_eq!(mine.body["total"], calendar.body["total"]);
    let nobody = app
        .get(sv, &query(&format!("&assignee_id={}", supervisor.id)))
        .await
        .expect(200);
    assert_eq!(nobody.body["total"], 0);
    app.get(
        sv,
        "/calendar?from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z",
    )
    .await
    .expect_error(400, "invalid_parameter");
    // Rescheduling the generated order moves it on the calendar.
    let order = entries
        .iter()
        .find(|e| e["kind"] == "work_order")
        .and_then(|e| e["work_order_id"].as_str())
        .unwrap_or_default()
        .to_owned();
    let later = (Utc::now() + Duration::days(3)).to_rfc3339();
    app.patch(
        sv,
        &format!("/work-orders/{order}"),
        json!({"due_at": later}),
    )
    .await
    .expect(200);
    let moved = app.get(sv, &query("")).await.expect(200);
    let moved_at = moved.body["items"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["kind"] == "work_order"))
        .map(|e| e["due_at"].clone())
        .unwrap_or(Value::Null);
    assert!(
        moved_at.as_str().is_some_and(|at| at[..10] == later[..10]),
        "{moved_at}"
    );
}

fn urlencode(raw: &str) -> String {
    raw.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn plans_are_guarded_by_permission_tenant_and_scope() {
    let Shop {
        app,
        company,
        supervisor,
        technician,
        equipment,
        ..
    } = shop().await;
    let plan = app
        .post(&supervisor.token, "/pm-plans", json!({"equipment_id": equipment, "title": "X", "starts_on": today(), "first_occurrence": "from_start", "trigger": {"kind": "calendar", "every": 1, "unit": "year"}}))
        .await
        .expect(201)
        .id();
    // Technicians read plans but do not change them; operators do not see them.
    app.get(&technician.token, &format!("/pm-plans/{plan}"))
        .await
        .expect(200);
    app.post(
        &technician.token,
        &format!("/pm-plans/{plan}/pause"),
        json!({}),
    )
    .await
    .expect_error(403, "forbidden");
    let operator = app.add_member(&company, "operator", None).await;
    app.get(&operator.token, "/pm-plans")
        .await
        .expect_error(403, "forbidden");
    // Another company sees nothing of it.
    let other = app.signup().await;
    app.get(&other.admin.token, &format!("/pm-plans/{plan}"))
        .await
        .expect_error(404, "not_found");
    app.get(&other.admin.token, &format!("/pm-plans/{plan}/forecast"))
        .await
        .expect_error(404, "not_found");
    app.post(
        &other.admin.token,
        &format!("/pm-plans/{plan}/pause"),
        json!({}),
    )
    .await
    .expect_error(404, "not_found");
    assert!(ids(&app.get(&other.admin.token, "/pm-plans").await.expect(200)).is_empty());
    // Nor does a supervisor limited to another site.
    let paris = app.site(&company.admin.token, "Paris").await;
    let local = app
        .add_member(&company, "supervisor", Some(vec![paris]))
        .await;
    app.get(&local.token, &format!("/pm-plans/{plan}"))
        .await
        .expect_error(404, "not_found");
}

#[tokio::test]
async fn administrators_see_failed_jobs_of_their_company_only() {
    let Shop {
        app,
        company,
        supervisor,
        tenant,
        ..
    } = shop().await;
    // Only this test's job: the invitations of the shop queued their mails.
    gmao_db::sqlx::query(
        "DELETE FROM apalis.jobs WHERE job_type = 'mail'
           AND convert_from(job, 'UTF8')::jsonb->>'tenant_id' = $1",
    )
    .bind(tenant.0.to_string())
    .execute(&app.pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let reading = uuid::Uuid::now_v7();
    gmao_workers::pm::enqueue_after_import(&app.pool, tenant, reading)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    gmao_db::sqlx::query(
        "UPDATE apalis.jobs SET status = 'Failed', attempts = 5, last_result = '\"boom\"'::jsonb
         WHERE convert_from(job, 'UTF8')::jsonb->>'tenant_id' = $1",
    )
    .bind(tenant.0.to_string())
    .execute(&app.pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let failed = app
        .get(&company.admin.token, "/jobs?status=failed")
        .await
        .expect(200);
    assert_eq!(failed.body["total"], 1);
    assert_eq!(failed.body["items"][0]["queue"], "pm_generation");
    assert_eq!(failed.body["items"][0]["status"], "failed");
    assert_eq!(failed.body["items"][0]["last_result"], "boom");
    // The other statuses filter too; a failed job is not pending.
    for (status, expected) in [("pending", 0), ("running", 0), ("done", 0)] {
        assert_eq!(
            app.get(&company.admin.token, &format!("/jobs?status={status}"))
                .await
                .expect(200)
                .body["total"],
            expected,
            "{status}"
        );
    }
    assert_eq!(
        app.get(&company.admin.token, "/jobs")
            .await
            .expect(200)
            .body["total"],
        1
    );
    app.get(&company.admin.token, "/jobs?status=broken")
        .await
        .expect_error(400, "invalid_parameter");
    app.get(&supervisor.token, "/jobs")
        .await
        .expect_error(403, "forbidden");
    let other = app.signup().await;
    assert_eq!(
        app.get(&other.admin.token, "/jobs?status=failed")
            .await
            .expect(200)
            .body["total"],
        0
    );
}

#[tokio::test]
async fn plans_sort_by_when_they_are_next_due_as_generation_moves_it() {
    let Shop {
        app,
        supervisor,
        equipment,
        tenant,
        ..
    } = shop().await;
    let sv = &supervisor.token;
    let in_a_week = (Utc::now().with_timezone(&ZONE).date_naive() + Duration::days(7)).to_string();
    // Monthly from today (due today), weekly from next week (lead time 0: not generated yet).
    let monthly = app
        .post(sv, "/pm-plans", json!({
            "equipment_id": equipment, "title": "A mensuel", "starts_on": today(), "first_occurrence": "from_start", "lead_time_days": 10,
            "trigger": {"kind": "calendar", "every": 1, "unit": "month"}
        }))
        .await
        .expect(201)
        .id();
    let weekly = app
        .post(sv, "/pm-plans", json!({
            "equipment_id": equipment, "title": "B hebdo", "starts_on": in_a_week, "first_occurrence": "from_start", "lead_time_days": 0,
            "trigger": {"kind": "calendar", "every": 1, "unit": "week"}
        }))
        .await
        .expect(201)
        .id();
    let order = |sort: &str| {
        let app = &app;
        let path = format!("/pm-plans?sort={sort}");
        async move { ids(&app.get(sv, &path).await.expect(200)) }
    };
    assert_eq!(
        order("next_due_at").await,
        vec![monthly.clone(), weekly.clone()]
    );
    assert_eq!(
        order("-next_due_at").await,
        vec![weekly.clone(), monthly.clone()]
    );
    // Today's monthly order generated, the monthly plan is next due in a month: after the weekly.
    assert_eq!(generate(&app, tenant, noon()).await, 1);
    assert_eq!(
        order("next_due_at").await,
        vec![weekly.clone(), monthly.clone()]
    );
    // Paused, it has no next date and sorts last either way.
    app.post(sv, &format!("/pm-plans/{weekly}/pause"), json!({}))
        .await
        .expect(200);
    assert_eq!(
        order("next_due_at").await,
        vec![monthly.clone(), weekly.clone()]
    );
    assert_eq!(order("-next_due_at").await, vec![monthly, weekly]);
}

/// The local day of an instant the API answers, on the test sites.
fn day_of(at: &Value) -> String {
    at.as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|at| at.with_timezone(&ZONE).date_naive().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_floating_plan_counts_from_the_late_completion_and_a_fixed_one_does_not() {
    let Shop {
        app,
        supervisor,
        equipment,
        tenant,
        ..
    } = shop().await;
    let sv = &supervisor.token;
    let plan_of = |mode: &str| {
        json!({
            "equipment_id": equipment, "title": format!("Contrôle {mode}"), "starts_on": today(), "first_occurrence": "from_start",
            "lead_time_days": 0, "schedule_mode": mode,
            "trigger": {"kind": "calendar", "every": 7, "unit": "day"}
        })
    };
    let floating = app
        .post(sv, "/pm-plans", plan_of("floating"))
        .await
        .expect(201)
        .id();
    let fixed = app
        .post(sv, "/pm-plans", plan_of("fixed"))
        .await
        .expect(201)
        .id();
    assert_eq!(generate(&app, tenant, noon()).await, 2);
    let day = |days: i64| {
        (Utc::now().with_timezone(&ZONE).date_naive() + Duration::days(days)).to_string()
    };
    // While today's order is open, the floating plan waits: nothing new even a week later.
    assert_eq!(
        generate(&app, tenant, noon() + Duration::days(7)).await,
        1,
        "only the fixed plan's next week"
    );
    // Done three days late: the next one is due seven days after the completion.
    let order = app
        .get(sv, &format!("/work-orders?pm_plan_id={floating}"))
        .await
        .expect(200)
        .body["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    gmao_db::sqlx::query(gmao_db::sqlx::AssertSqlSafe(format!(
        "UPDATE {}.work_orders SET status = 'completed', completed_at = $2 WHERE id = $1::uuid",
        tenant.schema().quoted()
    )))
    .bind(&order)
    .bind(noon() + Duration::days(3))
    .execute(&app.pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let read = app
        .get(sv, &format!("/pm-plans/{floating}"))
        .await
        .expect(200);
    assert_eq!(day_of(&read.body["next_due_at"]), day(10));
    let read = app.get(sv, &format!("/pm-plans/{fixed}")).await.expect(200);
    assert_eq!(day_of(&read.body["next_due_at"]), day(14));
    assert_eq!(generate(&app, tenant, noon() + Duration::days(10)).await, 1);
    let orders = app
        .get(
            sv,
            &format!("/work-orders?pm_plan_id={floating}&sort=due_at"),
        )
        .await
        .expect(200);
    assert_eq!(orders.body["total"], 2);
    assert_eq!(day_of(&orders.body["items"][1]["due_at"]), day(10));
}

#[tokio::test]
async fn calendar_or_meter_comes_at_whichever_first_and_restarts_both_counts() {
    let Shop {
        app,
        company,
        supervisor,
        equipment,
        tenant,
        ..
    } = shop().await;
    let sv = &supervisor.token;
    let meter = meter_on(&app, &company.admin.token, &equipment, "Cycles", "cycles").await;
    // 1,000 cycles 85 days ago: about six a day since, by the next reading.
    read(&app, sv, &meter, 1000.0, 85).await;
    // Every month or every 500 cycles, counted from today.
    let plan = app
        .post(sv, "/pm-plans", json!({
            "equipment_id": equipment, "title": "Révision", "starts_on": today(), "first_occurrence": "from_start", "lead_time_days": 0,
            "trigger": {"kind": "calendar_or_meter", "every": 1, "unit": "month", "meter_id": meter, "every_units": 500}
        }))
        .await
        .expect(201)
        .id();
    assert_eq!(generate(&app, tenant, noon()).await, 0);
    // 520 cycles later the meter comes first: an order now, long before the month is out.
    app.post(
        sv,
        &format!("/meters/{meter}/readings"),
        json!({"value": 1520.0}),
    )
    .await
    .expect(201);
    let now = Utc::now().max(noon());
    assert_eq!(generate(&app, tenant, now).await, 1);
    assert_eq!(generate(&app, tenant, now).await, 0);
    let orders = app
        .get(sv, &format!("/work-orders?pm_plan_id={plan}"))
        .await
        .expect(200);
    assert_eq!(orders.body["total"], 1);
    // Both counts restart from there: the calendar's month (sooner than 500 cycles at six a
    // day) from today.
    let forecast = app
        .get(
            sv,
            &format!(
                "/pm-plans/{plan}/forecast?until={}",
                (Utc::now() + Duration::days(200)).date_naive()
            ),
        )
        .await
        .expect(200);
    let first = &forecast.body["items"][0];
    assert_eq!(first["cause"], "calendar", "{}", forecast.body);
    let expected =
        (Utc::now().with_timezone(&ZONE).date_naive() + chrono::Months::new(1)).to_string();
    assert_eq!(day_of(&first["due_at"]), expected, "{}", forecast.body);
}

#[tokio::test]
async fn a_calendar_window_too_full_is_refused_rather_than_cut_short() {
    let Shop {
        app,
        supervisor,
        equipment,
        tenant,
        ..
    } = shop().await;
    // 5,001 orders due tomorrow (written directly: this is setup).
    gmao_db::sqlx::query(gmao_db::sqlx::AssertSqlSafe(format!(
        "INSERT INTO {schema}.work_orders (id, number, type, equipment_id, site_id, title, origin, due_at)
         SELECT gen_random_uuid(), 'X-' || n, 'corrective', e.id, e.site_id, 'Graissage ' || n, 'manual',
                now() + interval '1 day'
         FROM {schema}.equipment e, generate_series(1, 5001) AS n WHERE e.id = $1::uuid",
        schema = tenant.schema().quoted()
    )))
    .bind(&equipment)
    .execute(&app.pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let window = |days: i64| {
        format!(
            "/calendar?from={}&to={}",
            urlencode(&Utc::now().to_rfc3339()),
            urlencode(&(Utc::now() + Duration::days(days)).to_rfc3339())
        )
    };
    let refused = app
        .get(&supervisor.token, &window(7))
        .await
        .expect_error(422, "too_many_entries");
    assert_eq!(refused.body["details"]["max"], 5000);
    // A window without them answers as usual.
    let later = format!(
        "/calendar?from={}&to={}",
        urlencode(&(Utc::now() + Duration::days(3)).to_rfc3339()),
        urlencode(&(Utc::now() + Duration::days(10)).to_rfc3339())
    );
    app.get(&supervisor.token, &later).await.expect(200);
}

#[tokio::test]
async fn plans_sort_by_compliance_worst_first_and_those_without_history_last() {
    let Shop {
        app,
        supervisor,
        equipment,
        tenant,
        ..
    } = shop().await;
    let sv = &supervisor.token;
    let mut plans = Vec::new();
    for title in ["Late", "On time", "New"] {
        plans.push(
            app.post(sv, "/pm-plans", json!({
                "equipment_id": equipment, "title": title, "starts_on": today(), "first_occurrence": "from_start", "lead_time_days": 0,
                "trigger": {"kind": "calendar", "every": 1, "unit": "month"}
            }))
            .await
            .expect(201)
            .id(),
        );
    }
    // A month ago, "Late" left its order open and "On time" completed its own when due.
    let schema = tenant.schema().quoted();
    for (plan, completed) in [(&plans[0], false), (&plans[1], true)] {
        gmao_db::sqlx::query(gmao_db::sqlx::AssertSqlSafe(format!(
            "INSERT INTO {schema}.work_orders (id, number, type, equipment_id, site_id, title, origin,
                 pm_plan_id, pm_occurrence, due_at, status, completed_at)
             SELECT gen_random_uuid(), 'H-' || p.id, 'preventive', p.equipment_id, p.site_id, p.title, 'plan',
                    p.id, 'cal:history', now() - interval '30 days',
                    CASE WHEN $2 THEN 'completed' ELSE 'open' END,
                    CASE WHEN $2 THEN now() - interval '30 days' END
             FROM {schema}.pm_plans p WHERE p.id = $1::uuid"
        )))
        .bind(plan)
        .bind(completed)
        .execute(&app.pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let order = |sort: &'static str| {
        let app = &app;
        async move {
            ids(&app
                .get(sv, &format!("/pm-plans?sort={sort}"))
                .await
                .expect(200))
        }
    };
    assert_eq!(order("compliance").await, plans);
    assert_eq!(
        order("-compliance").await,
        vec![plans[1].clone(), plans[0].clone(), plans[2].clone()]
    );
    let listed = app.get(sv, "/pm-plans?sort=compliance").await.expect(200);
    assert_eq!(listed.body["items"][0]["compliance"], 0.0);
    assert_eq!(listed.body["items"][1]["compliance"], 1.0);
    assert!(listed.body["items"][2]["compliance"].is_null());
}

#[tokio::test]
async fn a_new_plan_starts_with_the_notice_of_its_lead_time_unless_asked() {
    let Shop {
        app,
        supervisor,
        equipment,
        tenant,
        ..
    } = shop().await;
    let sv = &supervisor.token;
    let body = |title: &str| {
        json!({
            "equipment_id": equipment, "title": title, "starts_on": today(), "lead_time_days": 3,
            "trigger": {"kind": "calendar", "every": 1, "unit": "day"}
        })
    };
    let now = Utc::now();
    let plan = app
        .post(sv, "/pm-plans", body("Nettoyage"))
        .await
        .expect(201);
    let next: chrono::DateTime<Utc> = plan.body["next_due_at"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("{:#}", plan.body));
    assert!(next >= now + Duration::days(3), "next due {next}");
    let forecast = app
        .get(sv, &format!("/pm-plans/{}/forecast", plan.id()))
        .await
        .expect(200);
    let first: chrono::DateTime<Utc> = forecast.body["items"][0]["due_at"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .unwrap_or_default();
    assert!(first >= now + Duration::days(3), "first forecast {first}");
    // Nothing due now, so nothing generated, let alone overdue.
    assert_eq!(generate(&app, tenant, Utc::now()).await, 0);

    // Asked for, the plan begins with today's occurrence.
    let mut asked = body("Nettoyage du jour");
    asked["first_occurrence"] = json!("from_start");
    app.post(sv, "/pm-plans", asked).await.expect(201);
    assert!(generate(&app, tenant, Utc::now()).await >= 1);
}
