//! The role matrix: each built-in role's allowed and refused calls, enforced by the server.

use gmao_tests::{Company, Person, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

struct Fixture {
    app: TestApp,
    company: Company,
    site: String,
    plant: String,
    line: String,
    custom_role: String,
}

async fn fixture() -> Fixture {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let token = company.admin.token.clone();
    let site = app.site(&token, "Lyon").await;
    let plant = app.plant(&token, &site, "Usinage").await;
    let line = app.line(&token, &plant, "Ligne 1").await;
    let custom_role = app
        .post(
            &token,
            "/roles",
            json!({"name": "Magasinier", "permissions": ["sites:read"]}),
        )
        .await
        .expect(201)
        .id();
    Fixture {
        app,
        company,
        site,
        plant,
        line,
        custom_role,
    }
}

/// One call, and whether the status says it was allowed.
async fn attempt(
    f: &Fixture,
    who: &Person,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> bool {
    let reply = f
        .app
        .call(method.clone(), path, Some(&who.token), body)
        .await;
    match reply.status.as_u16() {
        403 => {
            assert_eq!(
                reply.code(),
                "forbidden",
                "{method} {path}: {:#}",
                reply.body
            );
            false
        }
        200..=299 => true,
        other => panic!("{method} {path} answered {other}: {:#}", reply.body),
    }
}

#[tokio::test]
async fn each_builtin_role_gets_exactly_its_permissions() {
    let f = fixture().await;
    let roles = ["admin", "supervisor", "technician", "operator", "viewer"];
    for role in roles {
        let who = f.app.add_member(&f.company, role, None).await;
        let is = |allowed: &[&str]| allowed.contains(&role);
        let code = || {
            format!(
                "C{}",
                uuid::Uuid::new_v4().simple().to_string()[..8].to_uppercase()
            )
        };

        // Reading the hierarchy: everyone.
        assert!(
            attempt(&f, &who, Method::GET, "/sites", None).await,
            "{role} lists sites"
        );
        assert!(attempt(&f, &who, Method::GET, &format!("/sites/{}", f.site), None).await);
        assert!(attempt(&f, &who, Method::GET, "/plants", None).await);
        assert!(
            attempt(
                &f,
                &who,
                Method::GET,
                &format!("/production-lines/{}", f.line),
                None
            )
            .await
        );
        assert!(attempt(&f, &who, Method::GET, "/me", None).await);
        assert!(attempt(&f, &who, Method::GET, "/tenant", None).await);
        assert!(attempt(&f, &who, Method::GET, "/permissions", None).await);

        // Changing the hierarchy: admin only.
        let created = attempt(
            &f,
            &who,
            Method::POST,
            "/sites",
            Some(json!({"code": code(), "name": "N", "time_zone": "UTC"})),
        )
        .await;
        assert_eq!(created, is(&["admin"]), "{role} creating a site");
        let patched = attempt(
            &f,
            &who,
            Method::PATCH,
            &format!("/plants/{}", f.plant),
            Some(json!({"name": format!("Usinage {role}")})),
        )
        .await;
        assert_eq!(patched, is(&["admin"]), "{role} renaming a plant");
        let line = attempt(
            &f,
            &who,
            Method::POST,
            "/production-lines",
            Some(json!({"plant_id": f.plant, "code": code(), "name": "L"})),
        )
        .await;
        assert_eq!(line, is(&["admin"]), "{role} creating a line");

        // People and roles.
        let users = attempt(&f, &who, Method::GET, "/users", None).await;
        assert_eq!(
            users,
            is(&["admin", "supervisor"]),
            "{role} listing members"
        );
        let roles_read = attempt(&f, &who, Method::GET, "/roles", None).await;
        assert_eq!(
            roles_read,
            is(&["admin", "supervisor"]),
            "{role} listing roles"
        );
        let viewer_role = f.app.role_id(&f.company, "viewer").await;
        let added = attempt(
            &f,
            &who,
            Method::POST,
            "/users",
            Some(json!({"email": format!("{}@example.com", code().to_lowercase()), "full_name": "N", "password": "Roulement-42-graisse", "role_id": viewer_role})),
        )
        .await;
        assert_eq!(added, is(&["admin"]), "{role} adding a member");
        let role_made = attempt(
            &f,
            &who,
            Method::POST,
            "/roles",
            Some(json!({"name": format!("R {role}"), "permissions": []})),
        )
        .await;
        assert_eq!(role_made, is(&["admin"]), "{role} creating a role");
        let role_changed = attempt(
            &f,
            &who,
            Method::PATCH,
            &format!("/roles/{}", f.custom_role),
            Some(json!({"description": role})),
        )
        .await;
        assert_eq!(role_changed, is(&["admin"]), "{role} changing a role");

        // The audit log: admin only.
        let audit = attempt(&f, &who, Method::GET, "/audit-log", None).await;
        assert_eq!(audit, is(&["admin"]), "{role} reading the audit log");
    }
}

#[tokio::test]
async fn a_custom_role_grants_what_it_lists_and_changes_apply_at_once() {
    let f = fixture().await;
    let admin = &f.company.admin.token;
    let role = f
        .app
        .post(
            admin,
            "/roles",
            json!({"name": "Planificateur", "permissions": ["sites:read", "sites:manage"]}),
        )
        .await
        .expect(201);
    let role_id = role.id();
    let planner = f.app.add_person(admin, &role_id, None).await;
    f.app
        .post(
            &planner.token,
            "/sites",
            json!({"code": "PLN", "name": "Nord", "time_zone": "Europe/Paris"}),
        )
        .await
        .expect(201);
    f.app
        .get(&planner.token, "/users")
        .await
        .expect_error(403, "forbidden");

    // Narrow the role: the planner's live token loses the permission at once.
    f.app
        .patch(
            admin,
            &format!("/roles/{role_id}"),
            json!({"permissions": ["sites:read"]}),
        )
        .await
        .expect(200);
    f.app
        .post(
            &planner.token,
            "/sites",
            json!({"code": "PLN2", "name": "Sud", "time_zone": "Europe/Paris"}),
        )
        .await
        .expect_error(403, "forbidden");
}

#[tokio::test]
async fn maintenance_permissions_follow_the_roles() {
    let f = fixture().await;
    let equipment = f
        .app
        .equipment(&f.company.admin.token, &f.site, "ROLE")
        .await;
    for role in ["admin", "supervisor", "technician", "operator", "viewer"] {
        let who = f.app.add_member(&f.company, role, None).await;
        let is = |allowed: &[&str]| allowed.contains(&role);
        let code = format!(
            "E{}",
            uuid::Uuid::new_v4().simple().to_string()[..8].to_uppercase()
        );

        assert!(
            attempt(&f, &who, Method::GET, "/equipment", None).await,
            "{role} lists equipment"
        );
        let made = attempt(
            &f,
            &who,
            Method::POST,
            "/equipment",
            Some(json!({"code": code, "name": "E", "site_id": f.site})),
        )
        .await;
        assert_eq!(
            made,
            is(&["admin", "supervisor"]),
            "{role} registering equipment"
        );
        let reported = attempt(
            &f,
            &who,
            Method::POST,
            "/requests",
            Some(json!({"equipment_id": equipment, "title": format!("Panne vue par {role}")})),
        )
        .await;
        assert_eq!(
            reported,
            is(&["admin", "supervisor", "technician", "operator"]),
            "{role} reporting a failure"
        );
        let orders = attempt(&f, &who, Method::GET, "/work-orders", None).await;
        assert_eq!(
            orders,
            is(&["admin", "supervisor", "technician", "viewer"]),
            "{role} listing work orders"
        );
        let planned = attempt(
            &f,
            &who,
            Method::POST,
            "/work-orders",
            Some(json!({"type": "improvement", "equipment_id": equipment, "title": "Capot"})),
        )
        .await;
        assert_eq!(
            planned,
            is(&["admin", "supervisor"]),
            "{role} creating a work order"
        );
        let codes = attempt(
            &f,
            &who,
            Method::POST,
            "/failure-codes",
            Some(json!({"kind": "remedy", "code": code, "label": "R"})),
        )
        .await;
        assert_eq!(
            codes,
            is(&["admin", "supervisor"]),
            "{role} editing failure codes"
        );
    }
}
