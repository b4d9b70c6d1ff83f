//! Creating a company: the tenant, its schema, and its first administrator, in one transaction.

use gmao_domain::{BuiltinRole, Email, Locale, TenantSlug};
use serde_json::json;
use sqlx::PgPool;

use crate::identities::{self, Identity};
use crate::members::{self, NewMember};
use crate::tenants::{self, Tenant};
use crate::{Actor, Error, Result, TenantTx, audit, passwords, roles};

pub struct NewCompany<'a> {
    pub name: &'a str,
    pub slug: &'a TenantSlug,
    pub admin_email: &'a Email,
    pub admin_full_name: &'a str,
    /// Already checked against the password policy.
    pub admin_password: &'a str,
    pub locale: Locale,
    pub request_id: Option<String>,
}

pub struct Company {
    pub tenant: Tenant,
    pub admin: Identity,
    /// The administrator's email already had an identity (and proved its password).
    pub admin_existed: bool,
}

/// Creates the company and answers its still-open transaction, scoped to the new tenant, so
/// the caller can add what belongs with it (a login session) before committing.
pub async fn create_company(pool: &PgPool, new: NewCompany<'_>) -> Result<(TenantTx, Company)> {
    // Slow password work happens before the transaction opens.
    let existing = {
        let mut conn = pool.acquire().await?;
        identities::find_by_email(&mut conn, new.admin_email).await?
    };
    let password_hash = match &existing {
        Some(identity) => {
            if !passwords::verify(new.admin_password, Some(&identity.password_hash)).await? {
                return Err(Error::conflict(
                    "email_registered",
                    json!({"field": "email"}),
                ));
            }
            None
        }
        None => Some(passwords::hash(new.admin_password).await?),
    };

    let mut tx = pool.begin().await?;
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
            email: new.admin_email,
            full_name: new.admin_full_name,
            password_hash: password_hash.as_deref(),
            locale: new.locale,
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
