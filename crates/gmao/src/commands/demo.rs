//! `gmao demo`.

use gmao_db::PgPool;

use crate::cli::DemoArgs;
use crate::config::Config;
use crate::database::Database;
use crate::migration::migrate_all;

pub async fn run(config: Config, args: &DemoArgs) -> anyhow::Result<()> {
    let db = Database::open(&config).await?;
    let result = async {
        migrate_all(&db.pool, config.migrate_concurrency).await?;
        seed_and_print(&db.pool).await?;
        if args.large {
            let progress = |step: &str| println!("demo-grande: {step}");
            let (_, filled) = gmao_db::demo_large::seed(&db.pool, args.orders, &progress).await?;
            println!(
                "Large company {} (workspace \"{}\"), same administrator.",
                if filled { "filled" } else { "ready" },
                gmao_db::demo_large::SLUG
            );
        }
        Ok(())
    }
    .await;
    db.close().await;
    result
}

/// Seeds the demo company (idempotently) and prints how to log in.
pub async fn seed_and_print(pool: &PgPool) -> anyhow::Result<()> {
    let report = gmao_db::demo::seed(pool, &|step: &str| tracing::info!("demo: {step}")).await?;
    if report.tenant_created {
        println!(
            "Demo company created (workspace \"{}\").",
            gmao_db::demo::SLUG
        );
    } else {
        println!(
            "Demo company ready (workspace \"{}\").",
            gmao_db::demo::SLUG
        );
    }
    println!(
        "Log in with any of these accounts, password {}:",
        gmao_db::demo::PASSWORD
    );
    for (role, email) in &report.people {
        println!("  {:<12} {email}", role.key());
    }
    Ok(())
}
