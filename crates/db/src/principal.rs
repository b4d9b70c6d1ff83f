//! Who is calling: loaded at the start of every tenant request, inside its transaction, so a
//! suspended tenant, a deactivated member or a revoked session is refused at once, whatever the
//! access token still says.

use gmao_domain::{BuiltinRole, Locale, Permission, PermissionSet, TenantId};
use uuid::Uuid;

use crate::sites::Scope;
use crate::{Result, TenantTx};

#[derive(Debug, Clone)]
pub struct RoleSummary {
    pub id: Uuid,
    pub key: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub tenant_id: TenantId,
    pub email: String,
    pub full_name: String,
    pub locale: Locale,
    pub is_platform_operator: bool,
    /// The owner of the mailbox proved it.
    pub email_verified: bool,
    /// The password was given by an administrator: nothing else until it is changed.
    pub must_change_password: bool,
    pub role: RoleSummary,
    pub permissions: PermissionSet,
    /// `None`: every site; otherwise only these.
    pub site_scope: Option<Vec<Uuid>>,
}

impl Principal {
    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(permission)
    }

    pub fn scope(&self) -> Scope<'_> {
        self.site_scope.as_deref()
    }

    pub fn may_see_site(&self, site_id: Uuid) -> bool {
        self.site_scope
            .as_ref()
            .is_none_or(|s| s.contains(&site_id))
    }
}

/// Why a token that verified is still refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// Logged out, revoked, expired, or unknown.
    SessionEnded,
    TenantSuspended,
    /// The identity (platform-wide) or the membership (in this tenant) is deactivated.
    AccountDisabled,
    NotMember,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    live: bool,
    tenant_status: String,
    user_active: bool,
    email: String,
    full_name: String,
    locale: String,
    is_platform_operator: bool,
    email_verified: bool,
    must_change_password: bool,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    active: bool,
    site_scoped: bool,
    site_ids: Vec<Uuid>,
    role_id: Uuid,
    role_key: Option<String>,
    role_name: String,
    permissions: Vec<String>,
}

pub async fn load(
    tx: &mut TenantTx,
    session_id: Uuid,
    user_id: Uuid,
) -> Result<Result<Principal, Denied>> {
    let tenant_id = tx.tenant_id();
    let session: Option<SessionRow> = sqlx::query_as(
        "SELECT s.revoked_at IS NULL AND s.expires_at > now() AS live,
                t.status AS tenant_status, u.active AS user_active,
                u.email, u.full_name, u.locale, u.is_platform_operator,
                u.email_verified_at IS NOT NULL AS email_verified, u.must_change_password
         FROM public.sessions s
         JOIN public.users u ON u.id = s.user_id
         JOIN public.tenants t ON t.id = s.tenant_id
         WHERE s.id = $1 AND s.user_id = $2 AND s.tenant_id = $3",
    )
    .bind(session_id)
    .bind(user_id)
    .bind(tenant_id.0)
    .fetch_optional(tx.conn())
    .await?;
    let Some(session) = session else {
        return Ok(Err(Denied::SessionEnded));
    };
    if !session.live {
        return Ok(Err(Denied::SessionEnded));
    }
    if session.tenant_status != "active" {
        return Ok(Err(Denied::TenantSuspended));
    }
    if !session.user_active {
        return Ok(Err(Denied::AccountDisabled));
    }
    let member: Option<MemberRow> = sqlx::query_as(
        "SELECT m.active, m.site_scoped,
                ARRAY(SELECT site_id FROM member_sites ms WHERE ms.user_id = m.user_id) AS site_ids,
                r.id AS role_id, r.key AS role_key, r.name AS role_name, r.permissions
         FROM members m JOIN roles r ON r.id = m.role_id
         WHERE m.user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(tx.conn())
    .await?;
    let Some(member) = member else {
        return Ok(Err(Denied::NotMember));
    };
    if !member.active {
        return Ok(Err(Denied::AccountDisabled));
    }
    let permissions = match member.role_key.as_deref().and_then(BuiltinRole::from_key) {
        Some(builtin) => builtin.permissions(),
        None => PermissionSet::from_strings(&member.permissions),
    };
    Ok(Ok(Principal {
        user_id,
        session_id,
        tenant_id,
        email: session.email,
        full_name: session.full_name,
        locale: Locale::parse(&session.locale).unwrap_or_default(),
        is_platform_operator: session.is_platform_operator,
        email_verified: session.email_verified,
        must_change_password: session.must_change_password,
        role: RoleSummary {
            id: member.role_id,
            key: member.role_key,
            name: member.role_name,
        },
        permissions,
        site_scope: member.site_scoped.then_some(member.site_ids),
    }))
}

/// Whether `user_id` is an active member of the tenant of `tx` (login checks this before
/// opening a session).
pub async fn is_active_member(tx: &mut TenantTx, user_id: Uuid) -> Result<bool> {
    Ok(
        sqlx::query_scalar("SELECT active FROM members WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(tx.conn())
            .await?
            .unwrap_or(false),
    )
}
