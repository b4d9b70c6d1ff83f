//! Maintenance indicators through the API: figures computed from work done through the API,
//! checked by hand; filters, site scope, permissions and another company's equipment.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use gmao_tests::TestApp;
use serde_json::{Value, json};

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn kpis_path(from: DateTime<Utc>, to: DateTime<Utc>, rest: &str) -> String {
    format!(
        "/kpis?from={}&to={}{rest}",
        rfc3339(from).replace('+', "%2B"),
        rfc3339(to).replace('+', "%2B")
    )
}

fn figure(body: &Value, key: &str) -> (f64, f64, Option<f64>) {
    (
        body[key]["numerator"].as_f64().unwrap_or(f64::NAN),
        body[key]["denominator"].as_f64().unwrap_or(f64::NAN),
        body[key]["value"].as_f64(),
    )
}

fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.unwrap_or(f64::NAN);
    assert!(
        (actual - expected).abs() < 1e-6,
        "expected {expected}, got {actual}"
    );
}

#[tokio::test]
async fn indicators_follow_the_work_done_and_stay_within_the_company() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let site = app.site(admin, "Lyon").await;
    let other_site = app.site(admin, "Nantes").await;
    let press = app.equipment(admin, &site, "PRESSE").await;
    let pump = app.equipment(admin, &site, "POMPE").await;
    app.equipment(admin, &other_site, "FOUR").await;
    let supervisor = app.add_member(&company, "supervisor", None).await;
    let technician = app.add_member(&company, "technician", None).await;
    let viewer = app.add_member(&company, "viewer", None).await;
    let operator = app.add_member(&company, "operator", None).await;
    let nantes_only = app
        .add_member(&company, "supervisor", Some(vec![other_site.clone()]))
        .await;
    let (sv, me) = (&supervisor.token, &technician.token);

    // The window: the 48 hours before the current hour.
    let to = Utc::now()
        .duration_trunc(TimeDelta::hours(1))
        .unwrap_or_else(|e| panic!("{e}"));
    let from = to - TimeDelta::hours(48);

    // A failure of the press: stopped 4 hours yesterday, an hour of work logged.
    let repair = app
        .post(
            sv,
            "/work-orders",
            json!({"type": "corrective", "equipment_id": press, "title": "Fuite vérin",
                   "assignee_ids": [technician.id]}),
        )
        .await
        .expect(201)
        .id();
    let base = format!("/work-orders/{repair}");
    app.post(me, &format!("{base}/start"), json!({}))
        .await
        .expect(200);
    app.post(
        me,
        &format!("{base}/time-entries"),
        json!({"started_at": rfc3339(to - TimeDelta::hours(29)),
               "ended_at": rfc3339(to - TimeDelta::hours(28))}),
    )
    .await
    .expect(201);
    app.post(
        me,
        &format!("{base}/complete"),
        json!({"work_performed": "Joint changé",
               "downtime_start": rfc3339(to - TimeDelta::hours(30)),
               "downtime_end": rfc3339(to - TimeDelta::hours(26))}),
    )
    .await
    .expect(200);

    // Preventive work on the pump, due three hours ago, done now: on time; 30 minutes logged.
    let preventive = app
        .post(
            sv,
            "/work-orders",
            json!({"type": "preventive", "equipment_id": pump, "title": "Graissage",
                   "due_at": rfc3339(Utc::now() - TimeDelta::hours(3)),
                   "assignee_ids": [technician.id]}),
        )
        .await
        .expect(201)
        .id();
    let base = format!("/work-orders/{preventive}");
    app.post(me, &format!("{base}/start"), json!({}))
        .await
        .expect(200);
    app.post(me, &format!("{base}/time-entries"), json!({"minutes": 30}))
        .await
        .expect(201);
    app.post(
        me,
        &format!("{base}/complete"),
        json!({"work_performed": "Fait"}),
    )
    .await
    .expect(200);

    // An operator reports a leak on the pump; the supervisor approves it; work starts.
    let request = app
        .post(
            &operator.token,
            "/requests",
            json!({"equipment_id": pump, "title": "Fuite", "urgency": "high"}),
        )
        .await
        .expect(201)
        .id();
    let approved = app
        .post(
            sv,
            &format!("/requests/{request}/approve"),
            json!({"assignee_ids": [technician.id]}),
        )
        .await
        .expect(200);
    let from_request = approved.body["work_order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    app.post(me, &format!("/work-orders/{from_request}/start"), json!({}))
        .await
        .expect(200);

    // Waiting: an order of two estimated hours.
    app.post(
        sv,
        "/work-orders",
        json!({"type": "improvement", "equipment_id": pump, "title": "Capotage",
               "estimated_minutes": 120}),
    )
    .await
    .expect(201);

    // The past 48 hours of the site: 2 machines × 48 h, the press down 4 h, one failure.
    let past = app
        .get(sv, &kpis_path(from, to, &format!("&site_id={site}")))
        .await
        .expect(200);
    let (operating, window, availability) = figure(&past.body, "availability");
    assert_eq!((operating, window), (92.0, 96.0));
    close(availability, 92.0 / 96.0 * 100.0);
    let (mtbf_num, failures, mtbf) = figure(&past.body, "mtbf");
    assert_eq!((mtbf_num, failures), (92.0, 1.0));
    close(mtbf, 92.0);
    assert_eq!(past.body["availability"]["unit"], "percent");
    assert_eq!(past.body["mtbf"]["unit"], "hours");
    assert_eq!(past.body["availability"]["series"], json!([]));
    // Where the failures are: the press, 4 hours, its cause not given; no repeat.
    let failures = &past.body["failures"];
    assert_eq!(failures["most_downtime"][0]["equipment_id"], press.as_str());
    assert_eq!(failures["most_downtime"][0]["downtime_hours"], 4.0);
    assert_eq!(failures["most_downtime"][0]["failures"], 1);
    assert_eq!(failures["most_downtime"].as_array().map(Vec::len), Some(1));
    assert_eq!(failures["by_cause"][0]["cause"], Value::Null);
    assert_eq!(failures["by_cause"][0]["cumulative_percent"], 100.0);
    assert_eq!(failures["repeats"], 0);
    // No repair completed in it: MTTR has no value, and says why.
    assert_eq!(figure(&past.body, "mttr"), (0.0, 0.0, None));

    // By day, in Paris: the periods add up to the window.
    let daily = app
        .get(
            sv,
            &kpis_path(from, to, &format!("&site_id={site}&group_by=day")),
        )
        .await
        .expect(200);
    let series = daily.body["availability"]["series"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!((2..=3).contains(&series.len()), "{series:?}");
    let hours: f64 = series
        .iter()
        .map(|p| p["denominator"].as_f64().unwrap_or(0.0))
        .sum();
    assert_eq!(hours, 96.0);

    // Up to tomorrow: the repair (4 h of downtime), the preventive order on time, the hours.
    let tomorrow = to + TimeDelta::hours(24);
    let now = app
        .get(sv, &kpis_path(from, tomorrow, &format!("&site_id={site}")))
        .await
        .expect(200);
    assert_eq!(figure(&now.body, "mttr"), (4.0, 1.0, Some(4.0)));
    assert_eq!(figure(&now.body, "pm_compliance"), (1.0, 1.0, Some(100.0)));
    let (planned, logged, share) = figure(&now.body, "planned_work");
    assert_eq!((planned, logged), (0.5, 1.5));
    close(share, 100.0 / 3.0);
    assert_eq!(now.body["requests"]["total"], 1);
    assert_eq!(
        now.body["requests"]["by_urgency"],
        json!([{"urgency": "high", "count": 1}])
    );
    assert_eq!(now.body["requests"]["approval_rate"]["value"], 100.0);
    assert_eq!(now.body["response"]["to_approval"]["count"], 1);
    assert_eq!(now.body["response"]["to_start"]["count"], 1);
    assert!(now.body["response"]["to_start"]["median_hours"].as_f64() < Some(0.1));
    // Open: the improvement and the order from the request, started.
    assert_eq!(now.body["backlog"]["value"], 2.0);
    assert_eq!(now.body["backlog"]["estimated_hours"], 2.0);
    assert_eq!(now.body["backlog"]["ages"]["under_7_days"], 2);

    // Labour: the technician's 1.5 hours, corrective then preventive; 48 h of a 35-hour week.
    let labour = &now.body["labour"];
    assert_eq!(labour["total_hours"], 1.5);
    assert_eq!(
        labour["by_type"],
        json!([{"type": "corrective", "hours": 1.0}, {"type": "preventive", "hours": 0.5}])
    );
    assert_eq!(
        labour["by_technician"][0]["user_id"],
        technician.id.as_str()
    );
    assert_eq!(labour["by_technician"][0]["full_name"], "Test technician");
    let mine = app
        .get(
            me,
            &format!(
                "/kpis/technicians?from={}&to={}",
                rfc3339(from),
                rfc3339(to)
            ),
        )
        .await
        .expect(200);
    assert_eq!(mine.body["total_hours"], 1.0);
    assert_eq!(
        mine.body["by_technician"][0]["user_id"],
        technician.id.as_str()
    );
    close(
        mine.body["by_technician"][0]["capacity_hours"].as_f64(),
        35.0 * 48.0 / 168.0,
    );
    close(
        mine.body["by_technician"][0]["utilisation"]["value"].as_f64(),
        1.0 / (35.0 * 48.0 / 168.0) * 100.0,
    );
    // Someone else's hours stay theirs: a colleague with none sees none.
    let colleague = app.add_member(&company, "technician", None).await;
    let theirs = app
        .get(&colleague.token, "/kpis/technicians")
        .await
        .expect(200);
    assert_eq!(theirs.body["by_technician"], json!([]));
    app.get(&operator.token, "/kpis/technicians")
        .await
        .expect_error(403, "forbidden");

    // One machine, by its own address or as a filter.
    let one = app
        .get(
            sv,
            &format!(
                "/kpis/equipment/{press}?from={}&to={}",
                rfc3339(from),
                rfc3339(to)
            ),
        )
        .await
        .expect(200);
    assert_eq!(figure(&one.body, "availability").0, 44.0);
    let filtered = app
        .get(sv, &kpis_path(from, to, &format!("&equipment_id={pump}")))
        .await
        .expect(200);
    assert_eq!(
        figure(&filtered.body, "availability"),
        (48.0, 48.0, Some(100.0))
    );
    // The whole company counts the third machine, in Nantes.
    let all = app.get(sv, &kpis_path(from, to, "")).await.expect(200);
    assert_eq!(figure(&all.body, "availability").1, 144.0);

    // Readers: the viewer yes; the technician and the operator no.
    app.get(&viewer.token, &kpis_path(from, to, ""))
        .await
        .expect(200);
    for token in [me, &operator.token] {
        app.get(token, &kpis_path(from, to, ""))
            .await
            .expect_error(403, "forbidden");
        app.get(token, &format!("/kpis/equipment/{press}"))
            .await
            .expect_error(403, "forbidden");
    }

    // A member of Nantes only sees Nantes, even when asking for Lyon.
    let scoped = app
        .get(&nantes_only.token, &kpis_path(from, to, ""))
        .await
        .expect(200);
    assert_eq!(figure(&scoped.body, "availability").1, 48.0);
    let asked = app
        .get(
            &nantes_only.token,
            &kpis_path(from, to, &format!("&site_id={site}")),
        )
        .await
        .expect(200);
    assert_eq!(figure(&asked.body, "availability").1, 0.0);
    app.get(&nantes_only.token, &format!("/kpis/equipment/{press}"))
        .await
        .expect_error(404, "not_found");

    // Another company sees nothing of this one, whatever ids it sends.
    let stranger = app.signup().await;
    let theirs = app
        .get(
            &stranger.admin.token,
            &kpis_path(from, to, &format!("&site_id={site}&equipment_id={press}")),
        )
        .await
        .expect(200);
    assert_eq!(figure(&theirs.body, "availability"), (0.0, 0.0, None));
    assert_eq!(figure(&theirs.body, "mtbf").1, 0.0);
    app.get(&stranger.admin.token, &format!("/kpis/equipment/{press}"))
        .await
        .expect_error(404, "not_found");

    // Bounded: a window backwards, too long, or cut into too many periods.
    app.get(sv, &kpis_path(to, from, ""))
        .await
        .expect_error(422, "before_start");
    app.get(sv, &kpis_path(to - TimeDelta::days(366 * 25), to, ""))
        .await
        .expect_error(422, "window_too_long");
    let refused = app
        .get(
            sv,
            &kpis_path(to - TimeDelta::days(366 * 15), to, "&group_by=day"),
        )
        .await
        .expect_error(422, "too_many_periods");
    assert_eq!(
        refused.body["details"]["fields"]["group_by"]["code"],
        "too_many_periods"
    );
    app.get(sv, "/kpis?group_by=hour").await.expect(400);
}

#[tokio::test]
async fn the_nights_snapshot_keeps_each_days_backlog_once() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let site = app.site(admin, "Lyon").await;
    let other_site = app.site(admin, "Nantes").await;
    let press = app.equipment(admin, &site, "PRESSE").await;
    let oven = app.equipment(admin, &other_site, "FOUR").await;
    let tenant = gmao_domain::TenantId(company.tenant_id.parse().unwrap_or_else(|e| panic!("{e}")));
    // Two orders in Lyon created ten days ago (one estimated 90 minutes), one completed five
    // days ago; one in Nantes still open.
    for (equipment, title) in [(&press, "Fuite"), (&press, "Bruit"), (&oven, "Porte")] {
        app.post(
            admin,
            "/work-orders",
            json!({"type": "corrective", "equipment_id": equipment, "title": title,
                   "estimated_minutes": 90}),
        )
        .await
        .expect(201);
    }
    gmao_db::sqlx::query(gmao_db::sqlx::AssertSqlSafe(format!(
        "UPDATE {s}.work_orders SET created_at = now() - interval '10 days';
         ",
        s = tenant.schema().quoted()
    )))
    .execute(&app.pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    gmao_db::sqlx::query(gmao_db::sqlx::AssertSqlSafe(format!(
        "UPDATE {}.work_orders SET status = 'completed', started_at = now() - interval '6 days',
                completed_at = now() - interval '5 days' WHERE title = 'Bruit'",
        tenant.schema().quoted()
    )))
    .execute(&app.pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));

    let now = Utc::now();
    let added = gmao_workers::snapshots::take(&app.pool, tenant, now)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    // Seven complete days, two sites.
    assert_eq!(added, 14);
    let again = gmao_workers::snapshots::take(&app.pool, tenant, now)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(again, 0);

    let today = now.with_timezone(&chrono_tz::Europe::Paris).date_naive();
    let path = |site: Option<&str>| {
        format!(
            "/kpis/backlog-days?from={}&to={}{}",
            today - TimeDelta::days(7),
            today,
            site.map(|s| format!("&site_id={s}")).unwrap_or_default()
        )
    };
    let lyon = app.get(admin, &path(Some(&site))).await.expect(200);
    let days = lyon.body.as_array().cloned().unwrap_or_default();
    assert_eq!(days.len(), 7, "{:#}", lyon.body);
    // A week ago both were open (aged 7 to 30 days at worst); yesterday only one.
    assert_eq!(days[0]["open"], 2);
    assert_eq!(days[0]["estimated_hours"], 3.0);
    assert_eq!(days[6]["open"], 1);
    assert_eq!(days[6]["ages"]["from_7_to_30_days"], 1);
    assert_eq!(days[6]["day"], (today - TimeDelta::days(1)).to_string());
    let everywhere = app.get(admin, &path(None)).await.expect(200);
    assert_eq!(everywhere.body[6]["open"], 2);
    assert_eq!(everywhere.body[6]["sites"], 2);

    // Site scope, another company, bounds.
    let nantes_only = app
        .add_member(&company, "supervisor", Some(vec![other_site.clone()]))
        .await;
    let theirs = app.get(&nantes_only.token, &path(None)).await.expect(200);
    assert_eq!(theirs.body[6]["open"], 1);
    let other = app.signup().await;
    let nothing = app
        .get(&other.admin.token, &path(Some(&site)))
        .await
        .expect(200);
    assert_eq!(nothing.body, json!([]));
    app.get(
        admin,
        &format!(
            "/kpis/backlog-days?from={today}&to={}",
            today - TimeDelta::days(1)
        ),
    )
    .await
    .expect_error(422, "before_start");
    let technician = app.add_member(&company, "technician", None).await;
    app.get(&technician.token, &path(None))
        .await
        .expect_error(403, "forbidden");
}

#[tokio::test]
async fn labour_is_priced_at_the_rate_in_force_and_the_backlog_counts_in_crew_weeks() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let site = app.site(admin, "Lyon").await;
    let press = app.equipment(admin, &site, "PRESSE").await;
    let supervisor = app.add_member(&company, "supervisor", None).await;
    let technician = app.add_member(&company, "technician", None).await;
    let (sv, me) = (&supervisor.token, &technician.token);

    // The company: 40 € an hour, 38 hours a week; the technician works 28 hours at 60 €; the
    // administrator does no maintenance (0 hours).
    let labour = app
        .patch(
            admin,
            "/tenant/labour",
            json!({"default_hourly_rate": 40, "default_weekly_capacity_hours": 38}),
        )
        .await
        .expect(200);
    assert_eq!(labour.body["currency"], "EUR");
    close(labour.body["default_hourly_rate"].as_f64(), 40.0);
    let tech_path = format!("/users/{}", technician.id);
    app.patch(
        admin,
        &tech_path,
        json!({"hourly_rate": 60, "weekly_capacity_hours": 28}),
    )
    .await
    .expect(200);
    app.patch(
        admin,
        &format!("/users/{}", company.admin.id),
        json!({"weekly_capacity_hours": 0}),
    )
    .await
    .expect(200);

    // Bad figures are refused, field by field; nothing changes.
    let refused = app
        .patch(
            admin,
            &tech_path,
            json!({"hourly_rate": 12.345, "weekly_capacity_hours": 200}),
        )
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(
        refused.body["details"]["fields"]["hourly_rate"]["code"],
        "too_many_decimals"
    );
    assert_eq!(
        refused.body["details"]["fields"]["weekly_capacity_hours"]["code"],
        "out_of_range"
    );
    app.patch(admin, "/tenant/labour", json!({"currency": "euro"}))
        .await
        .expect_error(422, "invalid_currency");
    let shown = app.get(admin, &tech_path).await.expect(200);
    close(shown.body["hourly_rate"].as_f64(), 60.0);
    close(shown.body["weekly_capacity_hours"].as_f64(), 28.0);
    // What people cost is for those who manage them.
    assert!(app.get(sv, &tech_path).await.expect(200).body["hourly_rate"].is_null());
    app.patch(sv, "/tenant/labour", json!({"default_hourly_rate": 1}))
        .await
        .expect_error(403, "forbidden");
    app.patch(sv, &tech_path, json!({"hourly_rate": 1}))
        .await
        .expect_error(403, "forbidden");

    // 90 minutes of the technician at 60 €, then a raise: the time keeps its rate. 30 minutes
    // of the supervisor, who has no rate of their own: the company's 40 €.
    let order = app
        .post(
            sv,
            "/work-orders",
            json!({"type": "corrective", "equipment_id": press, "title": "Fuite vérin",
                   "estimated_minutes": 1320,
                   "assignee_ids": [technician.id, supervisor.id]}),
        )
        .await
        .expect(201)
        .id();
    let base = format!("/work-orders/{order}");
    app.post(me, &format!("{base}/start"), json!({}))
        .await
        .expect(200);
    app.post(me, &format!("{base}/time-entries"), json!({"minutes": 90}))
        .await
        .expect(201);
    app.patch(admin, &tech_path, json!({"hourly_rate": 100}))
        .await
        .expect(200);
    app.post(sv, &format!("{base}/time-entries"), json!({"minutes": 30}))
        .await
        .expect(201);

    let to = Utc::now() + TimeDelta::minutes(1);
    let kpis = app
        .get(sv, &kpis_path(to - TimeDelta::days(1), to, ""))
        .await
        .expect(200);
    let cost = &kpis.body["cost"];
    close(cost["value"].as_f64(), 110.0);
    close(cost["priced_hours"].as_f64(), 2.0);
    close(cost["unpriced_hours"].as_f64(), 0.0);
    assert_eq!(cost["currency"], "EUR");
    assert_eq!(cost["unit"], "currency");
    // 22 estimated hours over a crew of 38 + 28 hours a week (the administrator works 0).
    let (hours, crew, weeks) = figure(&kpis.body["backlog"], "crew_weeks");
    close(Some(hours), 22.0);
    close(Some(crew), 66.0);
    close(weeks, 22.0 / 66.0);
    // Each person's utilisation is against their own week.
    let people = kpis.body["labour"]["by_technician"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let tech = people
        .iter()
        .find(|p| p["user_id"] == technician.id.as_str())
        .cloned()
        .unwrap_or_default();
    // A day (up to now) of a 28-hour week.
    let capacity = tech["capacity_hours"].as_f64().unwrap_or_default();
    assert!((capacity - 4.0).abs() < 0.01, "{capacity}");

    // Side by side by person: hours for whoever reads the indicators, cost (which tells a
    // rate) only for those who manage members.
    let window = kpis_path(to - TimeDelta::days(1), to, "&breakdown=technician");
    let by_person = app.get(sv, &window).await.expect(200);
    assert_eq!(by_person.body["breakdown"]["by"], "technician");
    let rows = by_person.body["breakdown"]["rows"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let tech_row = rows
        .iter()
        .find(|r| r["key"] == technician.id.as_str())
        .cloned()
        .unwrap_or_default();
    close(tech_row["labour_hours"].as_f64(), 1.5);
    assert!(tech_row["cost"].is_null(), "{tech_row}");
    assert!(tech_row["mtbf"].is_null());
    let by_person = app.get(admin, &window).await.expect(200);
    let costs: Vec<f64> = by_person.body["breakdown"]["rows"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r["cost"].as_f64())
        .collect();
    assert_eq!(costs.iter().sum::<f64>(), 110.0, "{costs:?}");
    let by_site = app
        .get(
            sv,
            &kpis_path(to - TimeDelta::days(1), to, "&breakdown=site"),
        )
        .await
        .expect(200);
    let site_row = &by_site.body["breakdown"]["rows"][0];
    assert_eq!(site_row["key"], site.as_str());
    assert_eq!(site_row["label"], "Lyon");
    close(site_row["cost"].as_f64(), 110.0);
    app.get(
        sv,
        &kpis_path(to - TimeDelta::days(1), to, "&breakdown=planet"),
    )
    .await
    .expect_error(400, "invalid_parameter");

    // Nobody sets their own rate; a manager limited to some sites neither reads nor sets the
    // company's figures or others' rates.
    app.patch(
        admin,
        &format!("/users/{}", company.admin.id),
        json!({"hourly_rate": 500}),
    )
    .await
    .expect_error(403, "cannot_change_self");
    let scoped = app
        .add_member(&company, "admin", Some(vec![site.clone()]))
        .await;
    app.get(&scoped.token, "/tenant/labour")
        .await
        .expect_error(403, "site_scope_exceeded");
    assert!(app.get(&scoped.token, &tech_path).await.expect(200).body["hourly_rate"].is_null());

    // Only those who manage members read the company's rates (new members join the crew:
    // after the figures above).
    for role in ["supervisor", "technician", "operator", "viewer"] {
        let person = app.add_member(&company, role, None).await;
        app.get(&person.token, "/tenant/labour")
            .await
            .expect_error(403, "forbidden");
    }

    // The change of the company's figures is in the audit log, before and after.
    let log = app
        .get(admin, "/audit-log?entity=labour_settings")
        .await
        .expect(200);
    let change = &log.body["items"][0]["changes"];
    assert_eq!(
        change["default_hourly_rate_cents"]["after"], 4000,
        "{log:?}"
    );
}
