//! "Mon travail": all of a technician's open work, in the buckets of their day, across pages.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use gmao_tests::TestApp;
use serde_json::{Value, json};

/// The end of today (the next local midnight) in `zone`, as an instant.
fn end_of_today(zone: Tz, now: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = now.with_timezone(&zone).date_naive() + Duration::days(1);
    zone.from_local_datetime(&tomorrow.and_time(NaiveTime::MIN))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now)
}

fn titles(group: &Value) -> Vec<String> {
    group["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| o["title"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn group<'a>(body: &'a Value, bucket: &str) -> &'a Value {
    body["groups"]
        .as_array()
        .and_then(|groups| groups.iter().find(|g| g["bucket"] == bucket))
        .unwrap_or(&Value::Null)
}

#[tokio::test]
async fn my_work_sorts_all_my_open_work_into_the_buckets_of_my_day() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    // Two sites a day apart: a due time can be today on one and tomorrow on the other.
    let mut sites = Vec::new();
    for (code, zone) in [
        ("PAGO", "Pacific/Pago_Pago"),
        ("KIRI", "Pacific/Kiritimati"),
    ] {
        let site = app
            .post(
                admin,
                "/sites",
                json!({"code": code, "name": code, "time_zone": zone}),
            )
            .await
            .expect(201)
            .id();
        let equipment = app.equipment(admin, &site, code).await;
        sites.push(equipment);
    }
    let (pago, kiri) = (sites[0].clone(), sites[1].clone());
    let supervisor = app.add_member(&company, "supervisor", None).await;
    let technician = app.add_member(&company, "technician", None).await;
    let colleague = app.add_member(&company, "technician", None).await;
    let sv = &supervisor.token;
    let me = &technician.token;

    let order = |equipment: &str, title: &str, priority: &str, due: Option<DateTime<Utc>>| {
        json!({"type": "corrective", "equipment_id": equipment, "title": title,
               "priority": priority, "due_at": due, "assignee_ids": [technician.id]})
    };
    let now = Utc::now();
    let (pago_end, kiri_end) = (
        end_of_today("Pacific/Pago_Pago".parse().unwrap_or(Tz::UTC), now),
        end_of_today("Pacific/Kiritimati".parse().unwrap_or(Tz::UTC), now),
    );
    // Today on the site whose day ends later, already tomorrow on the other.
    let (late_site, early_site, boundary) = if pago_end > kiri_end {
        (&pago, &kiri, kiri_end + (pago_end - kiri_end) / 2)
    } else {
        (&kiri, &pago, pago_end + (kiri_end - pago_end) / 2)
    };

    let mut created = Vec::new();
    for body in [
        order(
            &pago,
            "Retard ancien",
            "normal",
            Some(now - Duration::days(300)),
        ),
        order(
            &pago,
            "Retard urgent",
            "urgent",
            Some(now - Duration::days(200)),
        ),
        order(
            &pago,
            "Retard récent",
            "normal",
            Some(now - Duration::hours(2)),
        ),
        order(late_site, "Aujourd'hui ici", "normal", Some(boundary)),
        order(early_site, "Demain là-bas", "normal", Some(boundary)),
        order(&kiri, "Urgent sans échéance", "urgent", None),
        order(&kiri, "Sans échéance", "low", None),
        order(&pago, "Plus tard", "high", Some(now + Duration::days(40))),
        order(&pago, "En pause", "normal", Some(now - Duration::days(3))),
        order(&pago, "Commencé", "normal", Some(now + Duration::days(20))),
    ] {
        created.push(app.post(sv, "/work-orders", body).await.expect(201).id());
    }
    // Work under way is today's; work on hold is apart, even overdue.
    app.post(me, &format!("/work-orders/{}/start", created[9]), json!({}))
        .await
        .expect(200);
    app.post(me, &format!("/work-orders/{}/start", created[8]), json!({}))
        .await
        .expect(200);
    app.post(
        me,
        &format!("/work-orders/{}/hold", created[8]),
        json!({"reason": "Pièce en commande"}),
    )
    .await
    .expect(200);
    // Not mine, or no longer open: not in my work.
    app.post(
        sv,
        "/work-orders",
        json!({"type": "corrective", "equipment_id": pago, "title": "Pour un collègue",
               "due_at": now, "assignee_ids": [colleague.id]}),
    )
    .await
    .expect(201);
    let cancelled = app
        .post(
            sv,
            "/work-orders",
            order(&pago, "Annulé", "urgent", Some(now)),
        )
        .await
        .expect(201)
        .id();
    app.post(
        sv,
        &format!("/work-orders/{cancelled}/cancel"),
        json!({"reason": "Doublon"}),
    )
    .await
    .expect(200);

    let work = app.get(me, "/my-work").await.expect(200);
    let buckets: Vec<&str> = work.body["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|g| g["bucket"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        buckets,
        ["overdue", "today", "this_week", "later", "on_hold"]
    );
    assert_eq!(work.body["total"], 10);
    // Urgent first, then the most recently assigned.
    assert_eq!(
        titles(group(&work.body, "overdue")),
        ["Retard urgent", "Retard récent", "Retard ancien"]
    );
    let today = titles(group(&work.body, "today"));
    assert_eq!(today[0], "Urgent sans échéance");
    assert!(today.contains(&"Aujourd'hui ici".to_owned()));
    assert!(today.contains(&"Commencé".to_owned()));
    assert!(!today.contains(&"Demain là-bas".to_owned()));
    let week_and_later = [
        titles(group(&work.body, "this_week")),
        titles(group(&work.body, "later")),
    ]
    .concat();
    assert!(week_and_later.contains(&"Demain là-bas".to_owned()));
    assert_eq!(
        titles(group(&work.body, "later"))
            .first()
            .map(String::as_str),
        Some("Plus tard")
    );
    assert!(titles(group(&work.body, "later")).contains(&"Sans échéance".to_owned()));
    assert_eq!(titles(group(&work.body, "on_hold")), ["En pause"]);
    let first = &group(&work.body, "overdue")["items"][0];
    assert_eq!(first["bucket"], "overdue");
    assert!(first["assigned_at"].is_string());
    assert_eq!(
        first["number"].as_str().map(|n| n.starts_with("BT-")),
        Some(true)
    );
    assert!(
        first["allowed_actions"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("start")))
    );

    // Totals count everything; the groups hold their first orders, and a bucket pages on.
    let short = app.get(me, "/my-work?per_group=1").await.expect(200);
    assert_eq!(group(&short.body, "overdue")["total"], 3);
    assert_eq!(titles(group(&short.body, "overdue")), ["Retard urgent"]);
    let second = app
        .get(me, "/my-work/overdue?page=2&per_page=1")
        .await
        .expect(200);
    assert_eq!(titles(&second.body), ["Retard récent"]);
    assert_eq!(second.body["total"], 3);
    let beyond = app
        .get(me, "/my-work/overdue?page=9&per_page=1")
        .await
        .expect(200);
    assert_eq!(titles(&beyond.body), Vec::<String>::new());
    assert_eq!(beyond.body["total"], 3);

    // Today's filter; search.
    let today_only = app.get(me, "/my-work?within=today").await.expect(200);
    assert_eq!(
        today_only.body["groups"]
            .as_array()
            .map(|g| g.len())
            .unwrap_or_default(),
        2
    );
    let found = app.get(me, "/my-work?q=pause").await.expect(200);
    assert_eq!(found.body["total"], 1);
    assert_eq!(titles(group(&found.body, "on_hold")), ["En pause"]);

    // A new urgent job goes to the top of its bucket.
    app.post(
        sv,
        "/work-orders",
        order(
            &pago,
            "Nouveau et urgent",
            "urgent",
            Some(now - Duration::minutes(5)),
        ),
    )
    .await
    .expect(201);
    let work = app.get(me, "/my-work").await.expect(200);
    assert_eq!(
        titles(group(&work.body, "overdue"))
            .first()
            .map(String::as_str),
        Some("Nouveau et urgent")
    );

    // Bad input is a 400; my colleague and another company see none of it.
    app.get(me, "/my-work/someday").await.expect(400);
    app.get(me, "/my-work?within=month").await.expect(400);
    app.get(me, "/my-work?per_group=1000").await.expect(400);
    let theirs = app.get(&colleague.token, "/my-work").await.expect(200);
    assert_eq!(theirs.body["total"], 1);
    let other = app.signup().await;
    let outsider = app.get(&other.admin.token, "/my-work").await.expect(200);
    assert_eq!(outsider.body["total"], 0);
    app.get("not-a-token", "/my-work").await.expect(401);
}
