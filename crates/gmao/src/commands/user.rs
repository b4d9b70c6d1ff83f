//! `gmao user …`.

use anyhow::Context;
use gmao_db::identities::{self, NewIdentity};
use gmao_db::members::{self, NewMember};
use gmao_db::{Actor, TenantTx, passwords, roles, tenants};
use gmao_domain::password::PersonalWords;
use gmao_domain::{BuiltinRole, Email, Locale, password, text};

use super::password_from;
use crate::cli::{UserCommand, UserCreateArgs, UserSetRoleArgs};
use crate::config::Config;
use crate::database::Database;
use crate::migration::migrate_all;

pub async fn run(config: Config, command: &UserCommand) -> anyhow::Result<()> {
    let db = Database::open(&config).await?;
    let result = async {
        migrate_all(&db.pool, config.migrate_concurrency).await?;
        match command {
            UserCommand::Create(args) => create(&db, args).await,
            UserCommand::SetRole(args) => set_role(&db, args).await,
        }
    }
    .await;
    db.close().await;
    result
}

async fn create(db: &Database, args: &UserCreateArgs) -> anyhow::Result<()> {
    let email = Email::parse(&args.email).map_err(|e| anyhow::anyhow!("--email: {}", e.code))?;
    let name = text::name(&args.name, 120).map_err(|e| anyhow::anyhow!("--name: {}", e.code))?;
    let role = match &args.role {
        Some(key) => Some(BuiltinRole::from_key(key).with_context(|| {
            format!("--role: {key:?} is not a built-in role (admin, supervisor, technician, operator, viewer)")
        })?),
        None => None,
    };
    let mut conn = db.pool.acquire().await?;
    let existing = identities::find_by_email(&mut conn, &email).await?;
    drop(conn);

    let mut printed_password = None;
    let identity = match existing {
        Some(identity) => {
            println!("{email} already has an account; its password is unchanged.");
            identity
        }
        None => {
            let (password, generated) = password_from(&args.password)?;
            password::check(
                &password,
                PersonalWords {
                    email_local_part: Some(email.local_part()),
                    full_name: Some(&name),
                    company: None,
                },
            )
            .map_err(|e| anyhow::anyhow!("password: {} {}", e.code, e.params))?;
            let hash = passwords::hash(&password).await?;
            let mut tx = db.pool.begin().await?;
            let identity = identities::create(
                &mut tx,
                NewIdentity {
                    email: &email,
                    full_name: &name,
                    password_hash: &hash,
                    locale: Locale::Fr,
                    is_platform_operator: false,
                    verified: false,
                    must_change_password: false,
                },
            )
            .await?;
            tenants::audit_platform(
                &mut tx,
                None,
                None,
                "create",
                "user",
                identity.id,
                serde_json::json!({"email": {"before": null, "after": identity.email}}),
            )
            .await?;
            tx.commit().await?;
            if generated {
                printed_password = Some(password);
            }
            identity
        }
    };
    if args.platform_operator && !identity.is_platform_operator {
        let mut tx = db.pool.begin().await?;
        identities::set_platform_operator(&mut tx, identity.id, true).await?;
        tenants::audit_platform(
            &mut tx,
            None,
            None,
            "grant_platform_operator",
            "user",
            identity.id,
            serde_json::json!({"is_platform_operator": {"before": false, "after": true}}),
        )
        .await?;
        tx.commit().await?;
        println!("{email} is now a platform operator.");
    }
    if let (Some(slug), Some(role)) = (&args.tenant, role) {
        let mut conn = db.pool.acquire().await?;
        let tenant = tenants::find_by_slug(&mut conn, slug)
            .await?
            .with_context(|| format!("--tenant: no tenant with slug {slug:?}"))?;
        drop(conn);
        let mut tx = TenantTx::begin(&db.pool, tenant.tenant_id(), Actor::system()).await?;
        let role_row = roles::get_by_key(&mut tx, role).await?;
        members::add(
            &mut tx,
            NewMember {
                email: &email,
                full_name: &name,
                new_account: None,
                locale: Locale::Fr,
                role_id: role_row.id,
                site_ids: None,
            },
        )
        .await
        .map_err(|e| match e {
            gmao_db::Error::Conflict { code, .. } => {
                anyhow::anyhow!("cannot add to {slug}: {code}")
            }
            other => anyhow::Error::new(other),
        })?;
        tx.commit().await?;
        println!("{email} is now {} in {slug}.", role.key());
    }
    match printed_password {
        Some(password) => println!("Account {email} created with password {password}"),
        None => println!("Account {email} ready."),
    }
    Ok(())
}

async fn set_role(db: &Database, args: &UserSetRoleArgs) -> anyhow::Result<()> {
    let email = Email::parse(&args.email).map_err(|e| anyhow::anyhow!("--email: {}", e.code))?;
    let mut conn = db.pool.acquire().await?;
    let tenant = tenants::find_by_slug(&mut conn, &args.tenant)
        .await?
        .with_context(|| format!("--tenant: no tenant with slug {:?}", args.tenant))?;
    let identity = identities::find_by_email(&mut conn, &email)
        .await?
        .with_context(|| format!("--email: no account {email}"))?;
    drop(conn);
    let mut tx = TenantTx::begin(&db.pool, tenant.tenant_id(), Actor::system()).await?;
    if members::get(&mut tx, identity.id).await.is_err() {
        anyhow::bail!("{email} is not a member of {}", args.tenant);
    }
    let role = roles::find_by_key_or_name(&mut tx, &args.role)
        .await?
        .with_context(|| format!("--role: no role {:?} in {}", args.role, args.tenant))?;
    let site_ids = match (&args.sites, args.all_sites) {
        (Some(codes), _) => {
            let codes: Vec<String> = codes.iter().map(|c| c.trim().to_uppercase()).collect();
            let (ids, unknown) = gmao_db::sites::ids_by_code(&mut tx, &codes).await?;
            if !unknown.is_empty() {
                anyhow::bail!("--sites: no site {}", unknown.join(", "));
            }
            Some(Some(ids))
        }
        (None, true) => Some(None),
        (None, false) => None,
    };
    let member = members::update(
        &mut tx,
        identity.id,
        members::MemberPatch {
            role_id: Some(role.id),
            site_ids,
            active: args.activate.then_some(true),
            ..Default::default()
        },
    )
    .await
    .map_err(|e| match e {
        gmao_db::Error::Conflict { code, .. } => anyhow::anyhow!("refused: {code}"),
        other => anyhow::Error::new(other),
    })?;
    tx.commit().await?;
    let sites = if member.site_scoped {
        format!("{} site(s)", member.site_ids.len())
    } else {
        "every site".to_owned()
    };
    println!(
        "{email} is now {} in {} ({sites}{}).",
        role.key.as_deref().unwrap_or(&role.name),
        args.tenant,
        if member.active { "" } else { ", deactivated" }
    );
    Ok(())
}
