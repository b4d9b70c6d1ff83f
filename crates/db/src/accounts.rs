//! Creating a company: the tenant, its schema, and its first administrator, in one transaction.

use gmao_domain::{BuiltinRole, Email, Locale, TenantSlug};
use serde_json::json;
use sqlx::PgPool;

use uuid::Uuid;

use crate::identities::{self, Identity};
use crate::members::{self, NewAccount, NewMember};
use crate::tenants::{self, Tenant};
use crate::{Actor, Error, Result, TenantTx, audit, roles};

pub struct NewCompany<'a> {
    pub name: &'a str,
    pub slug: &'a TenantSlug,
    pub admin: Administrator<'a>,
    pub request_id: Option<String>,
}

/// The first administrator of a new company.
pub enum Administrator<'a> {
    /// A new account. The password is hashed already: hashing never runs inside the
    /// transaction.
    New {
        email: &'a Email,
        full_name: &'a str,
        password_hash: &'a str,
        locale: Locale,
        /// The mailbox is proven already (the demo's made-up accounts).
        verified: bool,
    },
    /// An account that exists: its owner, logged in, creates another company (or an operator
    /// names it on the command line).
    Existing(Uuid),
}

pub struct Company {
    pub tenant: Tenant,
    pub admin: Identity,
    /// The administrator's account existed before.
    pub admin_existed: bool,
}

/// Creates the company and answers its still-open transaction, scoped to the new tenant, so
/// the caller can add what belongs with it (a login session) before committing.
pub async fn create_company(pool: &PgPool, new: NewCompany<'_>) -> Result<(TenantTx, Company)> {
    let mut tx = pool.begin().await?;
    let (existing, admin_email, admin_full_name, new_account, locale) = match &new.admin {
        Administrator::New {
            email,
            full_name,
            password_hash,
            locale,
            verified,
        } => (
            None,
            (*email).clone(),
            full_name.to_string(),
            Some(NewAccount {
                password_hash,
                verified: *verified,
                must_change_password: false,
            }),
            *locale,
        ),
        Administrator::Existing(id) => {
            let identity = identities::get(&mut tx, *id).await?;
            let email = Email::parse(&identity.email).map_err(|e| Error::invalid("email", e))?;
            let locale = identity.locale();
            let name = identity.full_name.clone();
            (Some(identity), email, name, None, locale)
        }
    };
    let tenant = tenants::create_and_provision(&mut tx, new.slug, new.name).await?;
    tenants::audit_platform(
        &mut tx,
        existing.as_ref().map(|i| i.id),
        new.request_id.as_deref(),
        "create",
        "tenant",
        tenant.id,
        json!({"slug": {"before": null, "after": tenant.slug}, "name": {"before": null, "after": tenant.name}}),
    )
    .await?;
    let mut tx = TenantTx::scope(
        tx,
        tenant.tenant_id(),
        Actor {
            user_id: existing.as_ref().map(|i| i.id),
            request_id: new.request_id.clone(),
        },
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry {
            action: "create",
            entity: "tenant",
            entity_id: Some(tenant.id),
            changes: json!({"slug": {"before": null, "after": tenant.slug}, "name": {"before": null, "after": tenant.name}}),
        },
    )
    .await?;
    let admin_role = roles::get_by_key(&mut tx, BuiltinRole::Admin).await?;
    let (member, existed) = members::add(
        &mut tx,
        NewMember {
            email: &admin_email,
            full_name: &admin_full_name,
            new_account,
            locale,
            role_id: admin_role.id,
            site_ids: None,
        },
    )
    .await?;
    let admin = identities::get(tx.conn(), member.user_id).await?;
    tx.set_actor(Actor {
        user_id: Some(admin.id),
        request_id: new.request_id,
    });
    Ok((
        tx,
        Company {
            tenant,
            admin,
            admin_existed: existed,
        },
    ))
}
