//! Scheduled KPI reports: written through the API, sent exactly once per period whatever runs
//! twice (due checks, preparations, worker processes), through a mail server that was down,
//! with the key figures in the mail and the report attached; the delivery log, "send now",
//! the preview, unsubscribing, permissions and another company.

use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use gmao_domain::TenantId;
use gmao_mail::{MailSettings, Mailer};
use gmao_tests::smtp::{SmtpSink, free_port};
use gmao_tests::{TestApp, unique};
use gmao_workers::mail::{Outcome, deliver};
use gmao_workers::reports::{self, Delivered, ReportSettings};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

fn mailer(port: u16) -> Mailer {
    Mailer::new(&MailSettings {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}").into()),
        from: "gmao <no-reply@gmao.test>".into(),
        outbox_dir: std::env::temp_dir(),
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn settings() -> ReportSettings {
    ReportSettings {
        public_url: "https://gmao.test".to_owned(),
    }
}

fn tenant(id: &str) -> TenantId {
    TenantId(id.parse().unwrap_or_else(|e| panic!("{e}")))
}

fn instant(body: &Value, key: &str) -> DateTime<Utc> {
    body[key]
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(|| panic!("no {key} in {body:#}"))
}

/// A company with a site, a machine that failed yesterday (4 hours stopped), and a schedule
/// of a daily CSV report to a viewer and to an outside address.
struct Scene {
    app: TestApp,
    company: gmao_tests::client::Company,
    viewer: gmao_tests::client::Person,
    outside: String,
    schedule: Value,
}

async fn scene(app: TestApp) -> Scene {
    let company = app.signup().await;
    let admin = company.admin.token.clone();
    let site = app.site(&admin, "Lyon").await;
    let press = app.equipment(&admin, &site, "PRESSE").await;
    let viewer = app.add_member(&company, "viewer", None).await;
    let repair = app
        .post(
            &admin,
            "/work-orders",
            json!({"type": "corrective", "equipment_id": press, "title": "Fuite vérin",
                   "assignee_ids": [company.admin.id]}),
        )
        .await
        .expect(201)
        .id();
    app.post(&admin, &format!("/work-orders/{repair}/start"), json!({}))
        .await
        .expect(200);
    let stop = Utc::now() - TimeDelta::hours(30);
    app.post(
        &admin,
        &format!("/work-orders/{repair}/complete"),
        json!({"work_performed": "Joint changé",
               "downtime_start": stop.to_rfc3339(),
               "downtime_end": (stop + TimeDelta::hours(4)).to_rfc3339()}),
    )
    .await
    .expect(200);
    let outside = format!("{}@direction.example", unique("dir"));
    let schedule = app
        .post(
            &admin,
            "/report-schedules",
            json!({
                "name": "Indicateurs du jour",
                "frequency": {"kind": "daily"},
                "time": "07:00",
                "time_zone": "Europe/Paris",
                "recipients": {"member_ids": [viewer.id], "emails": [outside.to_uppercase()]},
                "filters": {"site_id": site},
                "format": "csv",
                "language": "fr",
            }),
        )
        .await
        .expect(201)
        .body;
    Scene {
        app,
        company,
        viewer,
        outside,
        schedule,
    }
}

#[tokio::test]
async fn a_scheduled_report_goes_out_once_per_period_even_through_a_mail_server_outage() {
    let Scene {
        app,
        company,
        viewer,
        outside,
        schedule,
    } = scene(TestApp::spawn().await).await;
    let admin = &company.admin.token;
    let id = schedule["id"].as_str().unwrap_or_default().to_owned();
    let tenant = tenant(&company.tenant_id);
    // Stored as written, the address in one spelling; due at the next 07:00 in Paris.
    assert_eq!(schedule["recipients"]["emails"], json!([outside]));
    assert_eq!(schedule["frequency"]["kind"], "daily");
    assert_eq!(schedule["indicators"].as_array().map(Vec::len), Some(10));
    let next = instant(&schedule, "next_run_at");
    assert!(next > Utc::now() && next <= Utc::now() + TimeDelta::hours(25));
    let period_end = instant(&schedule, "next_period_end");
    assert_eq!(
        period_end.date_naive(),
        (next - TimeDelta::hours(8)).date_naive()
    );

    // Nothing is due before its time.
    let early = reports::check_tenant(&app.pool, tenant, next - TimeDelta::seconds(1))
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    assert!(early.due.is_empty(), "{early:?}");

    // Its time comes; two workers check at once: one delivery.
    let at = next + TimeDelta::seconds(30);
    let (a, b) = tokio::join!(
        reports::check_tenant(&app.pool, tenant, at),
        reports::check_tenant(&app.pool, tenant, at)
    );
    let due: Vec<Uuid> = [a, b]
        .into_iter()
        .flat_map(|c| c.unwrap_or_else(|e| panic!("{e:#}")).due)
        .collect();
    assert_eq!(due.len(), 1, "{due:?}");
    let delivery = due[0];
    // Checked again (a retry, a restart mid-way with the schedule not moved on): still one.
    gmao_db::sqlx::query(gmao_db::sqlx::AssertSqlSafe(format!(
        "UPDATE {}.report_schedules SET next_run_at = $1",
        tenant.schema().quoted()
    )))
    .bind(next)
    .execute(&app.pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let again = reports::check_tenant(&app.pool, tenant, at)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    assert!(again.due.is_empty(), "{again:?}");

    // Two workers prepare it at once: its mails are written once, one per recipient.
    let settings = settings();
    let (a, b) = tokio::join!(
        reports::deliver(&app.pool, &settings, tenant, delivery),
        reports::deliver(&app.pool, &settings, tenant, delivery)
    );
    let written: Vec<_> = [a, b]
        .into_iter()
        .filter_map(|d| match d.unwrap_or_else(|e| panic!("{e:#}")) {
            Delivered::Queued(mails) => Some(mails),
            Delivered::Nothing => None,
        })
        .collect();
    assert_eq!(written.len(), 1, "prepared twice");
    let mails = &written[0];
    assert_eq!(mails.len(), 2);

    // The mail server is down: each mail waits its turn…
    let port = free_port();
    let mailer = mailer(port);
    for mail in mails {
        let outcome = deliver(&app.pool, &mailer, mail.id)
            .await
            .unwrap_or_else(|e| panic!("{e:#}"));
        assert!(matches!(outcome, Outcome::WillRetry(_)), "{outcome:?}");
    }
    let log = app
        .get(admin, &format!("/report-schedules/{id}/deliveries"))
        .await
        .expect(200);
    assert_eq!(log.body["total"], 1);
    assert_eq!(log.body["items"][0]["outcome"], "sending");
    assert_eq!(log.body["items"][0]["trigger"], "schedule");
    assert_eq!(log.body["items"][0]["mails"][0]["status"], "pending");
    assert!(
        log.body["items"][0]["mails"][0]["last_error"]
            .as_str()
            .is_some_and(|e| !e.is_empty()),
        "{:#}",
        log.body
    );

    // …then it is up: one mail per recipient, whatever runs twice.
    let sink = SmtpSink::start_on(port);
    gmao_db::sqlx::query(
        "UPDATE public.mail_outbox SET next_attempt_at = now() WHERE id = ANY($1)",
    )
    .bind(mails.iter().map(|m| m.id).collect::<Vec<_>>())
    .execute(&app.pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    for mail in mails.iter().chain(mails) {
        deliver(&app.pool, &mailer, mail.id)
            .await
            .unwrap_or_else(|e| panic!("{e:#}"));
    }
    let to_viewer = sink.to(&viewer.email);
    let to_outside = sink.to(&outside);
    assert_eq!((to_viewer.len(), to_outside.len()), (1, 1));
    let member_mail = &to_viewer[0].data;
    let outside_mail = &to_outside[0].data;
    for message in [member_mail, outside_mail] {
        // The key figures in the body, the report attached, the dashboard linked.
        assert!(message.contains("MTBF"), "{message}");
        assert!(message.contains("Disponibilit"), "{message}");
        assert!(message.contains("multipart/mixed"), "{message}");
        assert!(message.contains("indicateurs-du-jour-"), "{message}");
        assert!(message.contains("text/csv"), "{message}");
        // Quoted-printable: `=` is written `=3D`.
        assert!(
            message.contains("https://gmao.test/kpis?period=3Dcustom"),
            "{message}"
        );
    }
    // Only the outside address may unsubscribe (members ask their administrators).
    assert!(!member_mail.contains("List-Unsubscribe"), "{member_mail}");
    let token = outside_mail
        .split("report-unsubscribe?token=")
        .nth(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect::<String>()
        })
        .unwrap_or_else(|| panic!("no unsubscribe link in {outside_mail}"));
    let log = app
        .get(admin, &format!("/report-schedules/{id}/deliveries"))
        .await
        .expect(200);
    assert_eq!(log.body["items"][0]["outcome"], "sent", "{:#}", log.body);
    assert!(log.body["items"][0]["attachment_bytes"].as_i64() > Some(100));

    // Unsubscribing: a page asks first (a link scanner changes nothing), then it is done.
    let page = app
        .call(
            Method::GET,
            &format!("/report-unsubscribe?token={token}"),
            None,
            None,
        )
        .await
        .expect(200);
    assert!(
        page.body
            .as_str()
            .is_some_and(|html| html.contains("Indicateurs du jour") && html.contains(&outside)),
        "{:#}",
        page.body
    );
    let still = app
        .get(admin, &format!("/report-schedules/{id}"))
        .await
        .expect(200);
    assert_eq!(still.body["unsubscribed"], json!([]));
    for _ in 0..2 {
        app.call(
            Method::POST,
            &format!("/report-unsubscribe?token={token}"),
            None,
            None,
        )
        .await
        .expect(200);
    }
    let after = app
        .get(admin, &format!("/report-schedules/{id}"))
        .await
        .expect(200);
    assert_eq!(after.body["unsubscribed"], json!([outside]));
    app.call(
        Method::GET,
        "/report-unsubscribe?token=nothing-at-all",
        None,
        None,
    )
    .await
    .expect(404);

    // "Send now": the last complete period again, to the viewer only now.
    let sent = app
        .post(admin, &format!("/report-schedules/{id}/send"), json!({}))
        .await
        .expect(202);
    assert_eq!(sent.body["trigger"], "manual");
    assert_eq!(sent.body["requested_by"], company.admin.id.as_str());
    let manual: Uuid = sent.body["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{:#}", sent.body));
    let Delivered::Queued(mails) = reports::deliver(&app.pool, &settings, tenant, manual)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"))
    else {
        panic!("not prepared (the API's job may have done it first)");
    };
    assert_eq!(mails.len(), 1);
    let log = app
        .get(admin, &format!("/report-schedules/{id}/deliveries"))
        .await
        .expect(200);
    assert_eq!(log.body["total"], 2);

    // The audit log tells who scheduled it and who unsubscribed.
    let audit = app
        .get(
            admin,
            &format!("/audit-log?entity=report_schedule&entity_id={id}"),
        )
        .await
        .expect(200);
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i["action"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        actions.contains(&"create") && actions.contains(&"unsubscribe"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn schedules_are_checked_previewed_and_kept_to_their_company_and_roles() {
    let Scene {
        app,
        company,
        schedule,
        ..
    } = scene(TestApp::spawn().await).await;
    let admin = &company.admin.token;
    let id = schedule["id"].as_str().unwrap_or_default().to_owned();
    let operator = app.add_member(&company, "operator", None).await;
    let technician = app.add_member(&company, "technician", None).await;
    let supervisor = app.add_member(&company, "supervisor", None).await;

    // Whatever is wrong is said at once, field by field.
    let refused = app
        .post(
            admin,
            "/report-schedules",
            json!({
                "name": " ",
                "frequency": {"kind": "weekly"},
                "time_zone": "Mars/Olympus",
                "recipients": {"member_ids": [operator.id], "emails": ["pas une adresse"]},
                "filters": {"equipment_id": Uuid::new_v4()},
            }),
        )
        .await
        .expect(422);
    let fields = &refused.body["details"]["fields"];
    for field in [
        "name",
        "frequency.weekday",
        "time_zone",
        "recipients.emails[0]",
        "recipients.member_ids",
        "filters.equipment_id",
    ] {
        assert!(fields.get(field).is_some(), "{field} missing in {fields:#}");
    }
    assert!(
        fields["recipients.member_ids"]
            .to_string()
            .contains("cannot_receive"),
        "{fields:#}"
    );
    assert!(
        fields["recipients.member_ids"]
            .to_string()
            .contains(operator.id.as_str()),
        "{fields:#}"
    );
    app.post(
        admin,
        "/report-schedules",
        json!({"name": "Personne", "frequency": {"kind": "monthly", "day": 1},
               "recipients": {"member_ids": [], "emails": []}}),
    )
    .await
    .expect_error(422, "required");
    app.post(
        admin,
        "/report-schedules",
        json!({"name": "Mensuel", "frequency": {"kind": "monthly", "day": 29},
               "recipients": {"member_ids": [], "emails": ["a@b.fr"]}}),
    )
    .await
    .expect(400);
    app.post(
        admin,
        "/report-schedules",
        json!({"name": "indicateurs DU JOUR", "frequency": {"kind": "daily"},
               "recipients": {"member_ids": [], "emails": ["a@b.fr"]}}),
    )
    .await
    .expect_error(409, "name_taken");

    // A weekly one on Mondays, first site's time zone, the caller's language: defaults said.
    let weekly = app
        .post(
            &supervisor.token,
            "/report-schedules",
            json!({"name": "Hebdo", "frequency": {"kind": "weekly", "weekday": 1},
                   "recipients": {"member_ids": [supervisor.id], "emails": []},
                   "indicators": ["availability", "mtbf", "availability"], "format": "xlsx"}),
        )
        .await
        .expect(201);
    assert_eq!(weekly.body["time"], "07:00");
    assert_eq!(weekly.body["time_zone"], "Europe/Paris");
    assert_eq!(weekly.body["indicators"], json!(["availability", "mtbf"]));
    let start = instant(&weekly.body, "next_period_start");
    let end = instant(&weekly.body, "next_period_end");
    assert!((end - start).num_hours() >= 167 && (end - start).num_hours() <= 169);

    // The preview: the file the recipients would get, and the mail.
    let pdf = app
        .get(admin, &format!("/report-schedules/{id}/preview?format=pdf"))
        .await
        .expect(200);
    assert_eq!(
        pdf.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    assert!(pdf.body.as_str().is_some_and(|b| b.starts_with("%PDF-")));
    let csv = app
        .get(admin, &format!("/report-schedules/{id}/preview"))
        .await
        .expect(200);
    let csv = csv.body.as_str().unwrap_or_default();
    assert!(
        csv.contains("Indicateurs du jour") && csv.contains("MTBF"),
        "{csv}"
    );
    let mail = app
        .get(admin, &format!("/report-schedules/{id}/preview/mail"))
        .await
        .expect(200);
    assert!(
        mail.body
            .as_str()
            .is_some_and(|html| html.contains("<!doctype html>") && html.contains("MTBF")),
        "{:#}",
        mail.body
    );

    // Roles: planners and administrators manage reports; others may not even list them.
    for person in [&operator, &technician] {
        app.get(&person.token, "/report-schedules")
            .await
            .expect_error(403, "forbidden");
        app.post(
            &person.token,
            &format!("/report-schedules/{id}/send"),
            json!({}),
        )
        .await
        .expect_error(403, "forbidden");
    }
    let listed = app
        .get(&supervisor.token, "/report-schedules")
        .await
        .expect(200);
    assert_eq!(listed.body["total"], 2);

    // Another company sees none of it, whatever id it sends.
    let other = app.signup().await;
    let theirs = &other.admin.token;
    assert_eq!(
        app.get(theirs, "/report-schedules").await.expect(200).body["total"],
        0
    );
    for (method, path) in [
        (Method::GET, format!("/report-schedules/{id}")),
        (Method::GET, format!("/report-schedules/{id}/deliveries")),
        (Method::GET, format!("/report-schedules/{id}/preview")),
        (Method::POST, format!("/report-schedules/{id}/send")),
        (Method::DELETE, format!("/report-schedules/{id}")),
    ] {
        let body = (method == Method::POST).then(|| json!({}));
        app.call(method, &path, Some(theirs), body)
            .await
            .expect_error(404, "not_found");
    }
    app.put(
        theirs,
        &format!("/report-schedules/{id}"),
        json!({"name": "Volé", "frequency": {"kind": "daily"},
               "recipients": {"member_ids": [], "emails": ["pirate@example.com"]}}),
    )
    .await
    .expect_error(404, "not_found");

    // A supervisor of another site only: the company-wide schedule is not theirs, Lyon's
    // schedule is not theirs either, and another site's machine is unknown to them.
    let nantes = app.site(admin, "Nantes").await;
    let oven = app.equipment(admin, &nantes, "FOUR").await;
    let whole = app
        .post(
            admin,
            "/report-schedules",
            json!({"name": "Toute l'entreprise", "frequency": {"kind": "daily"},
                   "recipients": {"member_ids": [], "emails": ["pdg@example.com"]}}),
        )
        .await
        .expect(201)
        .id();
    let nantes_only = app
        .add_member(&company, "supervisor", Some(vec![nantes.clone()]))
        .await;
    let theirs = &nantes_only.token;
    assert_eq!(
        app.get(theirs, "/report-schedules").await.expect(200).body["total"],
        0
    );
    for schedule in [&whole, &id] {
        app.get(theirs, &format!("/report-schedules/{schedule}"))
            .await
            .expect_error(404, "not_found");
    }
    let press = schedule["filters"]["site_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let lyon_machine: String = app
        .get(admin, &format!("/equipment?site_id={press}"))
        .await
        .expect(200)
        .body["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let refused = app
        .post(
            theirs,
            "/report-schedules",
            json!({"name": "Four", "frequency": {"kind": "daily"},
                   "recipients": {"member_ids": [nantes_only.id], "emails": []},
                   "filters": {"equipment_id": lyon_machine}}),
        )
        .await
        .expect(422);
    assert!(
        refused.body["details"]["fields"]
            .get("filters.equipment_id")
            .is_some(),
        "{:#}",
        refused.body
    );
    let mine = app
        .post(
            theirs,
            "/report-schedules",
            json!({"name": "Four", "frequency": {"kind": "daily"},
                   "recipients": {"member_ids": [nantes_only.id], "emails": []},
                   "filters": {"equipment_id": oven}}),
        )
        .await
        .expect(201)
        .id();
    assert_eq!(
        app.get(theirs, "/report-schedules").await.expect(200).body["total"],
        1
    );
    // Their schedule covers their site: the administrator sees it too.
    app.get(admin, &format!("/report-schedules/{mine}"))
        .await
        .expect(200);

    // Replaced, then deleted, by its company.
    let replaced = app
        .put(
            admin,
            &format!("/report-schedules/{id}"),
            json!({"name": "Indicateurs du jour", "frequency": {"kind": "daily"}, "time": "18:30",
                   "recipients": {"member_ids": [], "emails": ["qualite@example.com"]},
                   "active": false}),
        )
        .await
        .expect(200);
    assert_eq!(replaced.body["time"], "18:30");
    assert_eq!(replaced.body["active"], false);
    app.delete(admin, &format!("/report-schedules/{id}"))
        .await
        .expect(204);
    app.get(admin, &format!("/report-schedules/{id}"))
        .await
        .expect_error(404, "not_found");
}

#[tokio::test]
async fn send_due_prepares_what_is_due_in_one_company_once() {
    let Scene {
        app,
        company,
        schedule,
        ..
    } = scene(TestApp::spawn().await).await;
    let tenant = tenant(&company.tenant_id);
    let next = instant(&schedule, "next_run_at");
    let before = reports::send_due(
        &app.pool,
        &settings(),
        Some(tenant),
        next - TimeDelta::minutes(1),
    )
    .await
    .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!((before.deliveries, before.mails.len()), (0, 0));
    let at = next + TimeDelta::minutes(1);
    let first = reports::send_due(&app.pool, &settings(), Some(tenant), at)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(
        (first.deliveries, first.mails.len(), first.failed),
        (1, 2, 0)
    );
    let again = reports::send_due(&app.pool, &settings(), Some(tenant), at)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!((again.deliveries, again.mails.len()), (0, 0));
}

#[tokio::test]
async fn two_worker_processes_send_a_due_report_once() {
    // Whole workers: on a database of their own, or they would take other tests' mails.
    let scratch = gmao_tests::ScratchDatabase::create("reports").await;
    let app = TestApp::spawn_on(scratch.pool.clone(), gmao_tests::test_settings()).await;
    let Scene {
        app,
        company,
        viewer,
        outside,
        ..
    } = scene(app).await;
    let tenant = tenant(&company.tenant_id);
    // Its time has come.
    gmao_db::sqlx::query(gmao_db::sqlx::AssertSqlSafe(format!(
        "UPDATE {}.report_schedules SET next_run_at = now() - interval '1 minute'",
        tenant.schema().quoted()
    )))
    .execute(&app.pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    gmao_db::sqlx::query(
        "UPDATE public.report_due SET next_check_at = now() - interval '1 minute'",
    )
    .execute(&app.pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));

    let sink = SmtpSink::start();
    let key = (Uuid::new_v4().as_u128() as i64 & 0x3FFF_FFFF_7FFF_FFFF) | 0x0100_0000_0000_0001;
    let settings = gmao_workers::WorkerSettings {
        concurrency: 2,
        housekeeping_cron: "0 0 0 1 1 *".to_owned(),
        pm_sweep_cron: "0 0 0 1 1 *".to_owned(),
        reports_cron: "* * * * * *".to_owned(),
        kpi_snapshot_cron: "0 0 0 1 1 *".to_owned(),
        public_url: "https://gmao.test".to_owned(),
        mail: MailSettings {
            smtp_url: Some(format!("smtp://127.0.0.1:{}", sink.port).into()),
            from: "gmao <no-reply@gmao.test>".into(),
            outbox_dir: std::env::temp_dir(),
        },
        leader_lock_key: key,
        shutdown_grace: Duration::from_secs(5),
    };
    let mut stops = Vec::new();
    let mut workers = Vec::new();
    for _ in 0..2 {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        stops.push(stop);
        workers.push(tokio::spawn(gmao_workers::run(
            app.pool.clone(),
            settings.clone(),
            async move {
                let _ = stopped.await;
            },
        )));
    }
    // The viewer's invitation goes out too: count the reports only.
    let reports_to = |email: &str| {
        sink.to(email)
            .iter()
            .filter(|m| m.data.contains("indicateurs-du-jour-"))
            .count()
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while reports_to(&viewer.email) == 0 || reports_to(&outside) == 0 {
        assert!(Instant::now() < deadline, "the report never arrived");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // A few more ticks of both workers: nothing more.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(reports_to(&viewer.email), 1);
    assert_eq!(reports_to(&outside), 1);
    for stop in stops {
        let _ = stop.send(());
    }
    for worker in workers {
        worker
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("{e:#}"));
    }
    app.state.pool.close().await;
    scratch.drop().await;
}
