//! Migrating many tenants: one broken tenant does not stop the others, and a rerun resumes.

use gmao_db::migrate::{self, MigrateAllOptions, TenantOutcome};
use gmao_domain::TenantId;
use gmao_tests::TestApp;

#[tokio::test]
async fn one_broken_tenant_fails_alone_and_a_rerun_resumes() {
    let app = TestApp::spawn().await;
    let mut tenants = Vec::new();
    for _ in 0..4 {
        let company = app.signup().await;
        tenants.push(TenantId(company.tenant_id.parse().unwrap_or_default()));
    }
    let exec = |sql: String| {
        let pool = app.pool.clone();
        async move {
            gmao_db::sqlx::raw_sql(gmao_db::sqlx::AssertSqlSafe(sql))
                .execute(&pool)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
    };
    // Every tenant loses its schema, as if created before the migrations existed; the broken one
    // also has a table in the way of the first migration.
    for tenant in &tenants {
        let schema = tenant.schema().quoted();
        exec(format!(
            "DROP SCHEMA {schema} CASCADE; CREATE SCHEMA {schema};"
        ))
        .await;
    }
    let broken = tenants[2];
    exec(format!(
        "CREATE TABLE {}.roles (id int)",
        broken.schema().quoted()
    ))
    .await;

    let options = MigrateAllOptions {
        concurrency: 3,
        only: Some(tenants.clone()),
    };
    let events = std::sync::Mutex::new(Vec::new());
    let report = migrate::migrate_tenants(&app.pool, &options, &|event| {
        if let migrate::Progress::Tenant(t) = event
            && let Ok(mut events) = events.lock()
        {
            events.push(t.slug.clone());
        }
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        events.lock().map(|e| e.len()).unwrap_or(0),
        4,
        "progress reported every tenant"
    );
    let failed: Vec<_> = report.failed().map(|t| t.tenant_id).collect();
    assert_eq!(failed, vec![broken]);
    assert_eq!(report.migrated_count(), 3);
    for tenant in &tenants {
        let mut conn = app.pool.acquire().await.unwrap_or_else(|e| panic!("{e}"));
        let row = gmao_db::tenants::get(&mut conn, *tenant)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if *tenant == broken {
            assert!(
                row.migration_error
                    .as_deref()
                    .is_some_and(|e| e.contains("roles")),
                "{:?}",
                row.migration_error
            );
        } else {
            assert_eq!(row.schema_version, Some(migrate::latest_tenant_version()));
            assert!(row.migration_error.is_none());
        }
    }
    // The broken tenant was rolled back whole: no half-made tables.
    let half: i64 = gmao_db::sqlx::query_scalar("SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'sites'")
        .bind(broken.schema().name())
        .fetch_one(&app.pool)
        .await
        .unwrap_or(-1);
    assert_eq!(half, 0);

    // Fix it and run again: the broken one migrates, the others are already current.
    exec(format!("DROP TABLE {}.roles", broken.schema().quoted())).await;
    let report = migrate::migrate_tenants(&app.pool, &options, &|_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.failed().count(), 0);
    for t in &report.tenants {
        let expected_migrated = t.tenant_id == broken;
        assert_eq!(
            matches!(t.outcome, TenantOutcome::Migrated { .. }),
            expected_migrated,
            "{:?}",
            t
        );
    }
    let mut conn = app.pool.acquire().await.unwrap_or_else(|e| panic!("{e}"));
    let row = gmao_db::tenants::get(&mut conn, broken)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(row.migration_error.is_none());
    assert_eq!(row.schema_version, Some(migrate::latest_tenant_version()));
}
