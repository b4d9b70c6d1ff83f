//! `gmao tenant …`.

use anyhow::Context;
use gmao_db::tenants::{self, Tenant};
use gmao_db::{Error, accounts};
use gmao_domain::password::PersonalWords;
use gmao_domain::{Email, Locale, TenantSlug, TenantStatus, password, text};

use super::password_from;
use crate::cli::{TenantCommand, TenantCreateArgs};
use crate::config::Config;
use crate::database::Database;
use crate::migration::migrate_all;

pub async fn run(config: Config, command: &TenantCommand) -> anyhow::Result<()> {
    let db = Database::open(&config).await?;
    let result = async {
        migrate_all(&db.pool, config.migrate_concurrency).await?;
        match command {
            TenantCommand::Create(args) => create(&db, args).await,
            TenantCommand::List => list(&db).await,
            TenantCommand::Show { slug } => show(&db, slug).await,
            TenantCommand::Suspend { slug } => set_status(&db, slug, TenantStatus::Suspended).await,
            TenantCommand::Resume { slug } => set_status(&db, slug, TenantStatus::Active).await,
        }
    }
    .await;
    db.close().await;
    result
}

fn field<T>(name: &str, result: Result<T, gmao_domain::FieldError>) -> anyhow::Result<T> {
    result.map_err(|e| anyhow::anyhow!("--{name}: {} {}", e.code, e.params))
}

async fn create(db: &Database, args: &TenantCreateArgs) -> anyhow::Result<()> {
    let slug = field("slug", TenantSlug::parse(&args.slug))?;
    let name = field("name", text::name(&args.name, 120))?;
    let email = field("admin-email", Email::parse(&args.admin_email))?;
    let admin_name = field("admin-name", text::name(&args.admin_name, 120))?;
    let (password, generated) = password_from(&args.password)?;
    field(
        "password",
        password::check(
            &password,
            PersonalWords {
                email_local_part: Some(email.local_part()),
                full_name: Some(&admin_name),
                company: Some(&name),
            },
        ),
    )?;
    let existing = {
        let mut conn = db.pool.acquire().await?;
        gmao_db::identities::find_by_email(&mut conn, &email).await?
    };
    let password_hash = match &existing {
        Some(_) => None,
        None => Some(gmao_db::passwords::hash(&password).await?),
    };
    let admin = match (&existing, &password_hash) {
        (Some(identity), _) => accounts::Administrator::Existing(identity.id),
        (None, hash) => accounts::Administrator::New {
            email: &email,
            full_name: &admin_name,
            password_hash: hash.as_deref().unwrap_or_default(),
            locale: Locale::Fr,
            verified: false,
        },
    };
    let (tx, company) = accounts::create_company(
        &db.pool,
        accounts::NewCompany {
            name: &name,
            slug: &slug,
            admin,
            request_id: None,
        },
    )
    .await
    .map_err(|e| match e {
        Error::Conflict { code, .. } => anyhow::anyhow!("cannot create the tenant: {code}"),
        other => anyhow::Error::new(other),
    })?;
    tx.commit().await?;
    println!(
        "Tenant {} created (schema {}).",
        company.tenant.slug, company.tenant.schema_name
    );
    if company.admin_existed {
        println!(
            "Administrator: {} (existing account, password unchanged).",
            company.admin.email
        );
    } else if generated {
        println!(
            "Administrator: {} with password {password}",
            company.admin.email
        );
    } else {
        println!("Administrator: {}", company.admin.email);
    }
    Ok(())
}

async fn list(db: &Database) -> anyhow::Result<()> {
    let mut conn = db.pool.acquire().await?;
    let all = tenants::list(&mut conn).await?;
    println!(
        "{:<24} {:<10} {:>7}  {:<32} NAME",
        "SLUG", "STATUS", "SCHEMA", "ID"
    );
    for t in &all {
        println!(
            "{:<24} {:<10} {:>7}  {:<32} {}{}",
            t.slug,
            t.status,
            t.schema_version.map_or("-".into(), |v| v.to_string()),
            t.id,
            t.name,
            if t.migration_error.is_some() {
                "  (migration failed)"
            } else {
                ""
            }
        );
    }
    println!("{} tenant(s)", all.len());
    Ok(())
}

async fn find(db: &Database, slug: &str) -> anyhow::Result<Tenant> {
    let mut conn = db.pool.acquire().await?;
    tenants::find_by_slug(&mut conn, slug)
        .await?
        .with_context(|| format!("no tenant with slug {slug:?}"))
}

async fn show(db: &Database, slug: &str) -> anyhow::Result<()> {
    let t = find(db, slug).await?;
    println!("slug:            {}", t.slug);
    println!("name:            {}", t.name);
    println!("id:              {}", t.id);
    println!("status:          {}", t.status);
    println!("schema:          {}", t.schema_name);
    println!(
        "schema version:  {} (latest {})",
        t.schema_version.map_or("-".into(), |v| v.to_string()),
        gmao_db::migrate::latest_tenant_version()
    );
    if let Some(error) = &t.migration_error {
        println!("migration error: {error}");
    }
    println!("created:         {}", t.created_at.to_rfc3339());
    Ok(())
}

async fn set_status(db: &Database, slug: &str, status: TenantStatus) -> anyhow::Result<()> {
    let tenant = find(db, slug).await?;
    let mut tx = db.pool.begin().await?;
    let (before, after) = tenants::set_status(&mut tx, tenant.tenant_id(), status).await?;
    if before.status == after.status {
        println!("Tenant {slug} is already {}.", after.status);
        return Ok(());
    }
    tenants::audit_platform(
        &mut tx,
        None,
        None,
        if status == TenantStatus::Suspended {
            "suspend"
        } else {
            "resume"
        },
        "tenant",
        tenant.id,
        serde_json::json!({"status": {"before": before.status, "after": after.status}}),
    )
    .await?;
    tx.commit().await?;
    match status {
        TenantStatus::Suspended => {
            println!("Tenant {slug} suspended: its members are refused from now on.")
        }
        TenantStatus::Active => println!("Tenant {slug} resumed."),
    }
    Ok(())
}
