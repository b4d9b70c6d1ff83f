//! Members of a tenant: an identity's role, site scope and activity in this company.

use chrono::{DateTime, Utc};
use gmao_domain::{Email, Locale};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::identities::{self, NewIdentity};
use crate::list::{Counted, paged};
use crate::sites::like_pattern;
use crate::{ConstraintExt, Error, Page, PageRequest, Result, Sort, TenantTx, audit, sessions};

pub const SORT_KEYS: &[&str] = &["full_name", "email", "created_at"];

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Member {
    pub user_id: Uuid,
    pub email: String,
    pub full_name: String,
    pub locale: String,
    pub role_id: Uuid,
    pub role_key: Option<String>,
    pub role_name: String,
    pub site_scoped: bool,
    pub site_ids: Vec<Uuid>,
    pub active: bool,
    /// Their own rate, cents per hour; none: the company's.
    pub hourly_rate_cents: Option<i64>,
    /// Their own working time per week; none: the company's.
    pub weekly_capacity_minutes: Option<i32>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What the audit log records of a membership.
#[derive(Serialize)]
struct Audited<'a> {
    email: &'a str,
    role_id: Uuid,
    site_scoped: bool,
    site_ids: &'a [Uuid],
    active: bool,
    hourly_rate_cents: Option<i64>,
    weekly_capacity_minutes: Option<i32>,
}

impl<'a> From<&'a Member> for Audited<'a> {
    fn from(m: &'a Member) -> Self {
        Audited {
            email: &m.email,
            role_id: m.role_id,
            site_scoped: m.site_scoped,
            site_ids: &m.site_ids,
            active: m.active,
            hourly_rate_cents: m.hourly_rate_cents,
            weekly_capacity_minutes: m.weekly_capacity_minutes,
        }
    }
}

const SELECT: &str = "SELECT m.user_id, u.email, u.full_name, u.locale, m.role_id,
        r.key AS role_key, r.name AS role_name, m.site_scoped,
        ARRAY(SELECT ms.site_id FROM member_sites ms WHERE ms.user_id = m.user_id ORDER BY ms.site_id)
            AS site_ids,
        m.active, m.hourly_rate_cents, m.weekly_capacity_minutes, ml.last_login_at,
        m.created_at, m.updated_at
    FROM members m
    JOIN public.users u ON u.id = m.user_id
    JOIN roles r ON r.id = m.role_id
    LEFT JOIN member_logins ml ON ml.user_id = m.user_id";

#[derive(Debug, Clone)]
pub struct MemberFilter {
    pub q: Option<String>,
    pub role_id: Option<Uuid>,
    pub active: Option<bool>,
    pub site_id: Option<Uuid>,
    pub sort: Sort,
}

pub async fn list(
    tx: &mut TenantTx,
    filter: &MemberFilter,
    page: PageRequest,
) -> Result<Page<Member>> {
    let pattern = filter.q.as_deref().map(like_pattern);
    Ok(paged!(page, |limit, offset| {
        let rows: Vec<Counted<Member>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) OVER () AS total, x.* FROM ({SELECT}
                WHERE ($1::text IS NULL OR u.full_name ILIKE $1 OR u.email ILIKE $1)
                  AND ($2::uuid IS NULL OR m.role_id = $2)
                  AND ($3::boolean IS NULL OR m.active = $3)
                  AND ($4::uuid IS NULL OR NOT m.site_scoped
                       OR EXISTS (SELECT 1 FROM member_sites ms WHERE ms.user_id = m.user_id AND ms.site_id = $4))
             ) x
             ORDER BY
                CASE WHEN $5 = 'full_name' AND NOT $6 THEN x.full_name END ASC,
                CASE WHEN $5 = 'full_name' AND $6 THEN x.full_name END DESC,
                CASE WHEN $5 = 'email' AND NOT $6 THEN x.email END ASC,
                CASE WHEN $5 = 'email' AND $6 THEN x.email END DESC,
                CASE WHEN $5 = 'created_at' AND NOT $6 THEN x.created_at END ASC,
                CASE WHEN $5 = 'created_at' AND $6 THEN x.created_at END DESC,
                x.user_id
             LIMIT $7 OFFSET $8"
        )))
        .bind(&pattern)
        .bind(filter.role_id)
        .bind(filter.active)
        .bind(filter.site_id)
        .bind(filter.sort.key)
        .bind(filter.sort.descending)
        .bind(limit)
        .bind(offset)
        .fetch_all(tx.conn())
        .await?;
        rows
    }))
}

pub async fn get(tx: &mut TenantTx, user_id: Uuid) -> Result<Member> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE m.user_id = $1"
    )))
    .bind(user_id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

async fn get_for_update(tx: &mut TenantTx, user_id: Uuid) -> Result<Member> {
    sqlx::query("SELECT 1 FROM members WHERE user_id = $1 FOR UPDATE")
        .bind(user_id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(Error::NotFound)?;
    get(tx, user_id).await
}

/// A person to add. `new_account` is used only when the email has no identity yet; an
/// existing identity keeps its password and name (one person, several companies).
pub struct NewMember<'a> {
    pub email: &'a Email,
    pub full_name: &'a str,
    pub new_account: Option<NewAccount<'a>>,
    pub locale: Locale,
    pub role_id: Uuid,
    /// `None`: every site. `Some(ids)`: only these.
    pub site_ids: Option<Vec<Uuid>>,
}

/// The account to create for an address that has none.
#[derive(Debug, Clone, Copy)]
pub struct NewAccount<'a> {
    /// Hashed before the transaction.
    pub password_hash: &'a str,
    /// The mailbox is proven already (a mailed invitation was accepted).
    pub verified: bool,
    /// Someone else chose the password: to change at first login.
    pub must_change_password: bool,
}

/// Adds a member; answers the member and whether the identity already existed.
pub async fn add(tx: &mut TenantTx, new: NewMember<'_>) -> Result<(Member, bool)> {
    let existing = identities::find_by_email(tx.conn(), new.email).await?;
    let (identity, existed) = match existing {
        Some(identity) => (identity, true),
        None => {
            let Some(account) = new.new_account else {
                return Err(Error::invalid(
                    "password",
                    gmao_domain::FieldError::new("password_required_for_new_account"),
                ));
            };
            let identity = identities::create(
                tx.conn(),
                NewIdentity {
                    email: new.email,
                    full_name: new.full_name,
                    password_hash: account.password_hash,
                    locale: new.locale,
                    is_platform_operator: false,
                    verified: account.verified,
                    must_change_password: account.must_change_password,
                },
            )
            .await?;
            (identity, false)
        }
    };
    sqlx::query("INSERT INTO members (user_id, role_id, site_scoped) VALUES ($1, $2, $3)")
        .bind(identity.id)
        .bind(new.role_id)
        .bind(new.site_ids.is_some())
        .execute(tx.conn())
        .await
        .on_constraint("members_pkey", || {
            Error::conflict(
                "already_member",
                json!({"field": "email", "user_id": identity.id}),
            )
        })
        .on_constraint("members_role_id_fkey", || {
            Error::invalid("role_id", gmao_domain::FieldError::new("unknown_role"))
        })?;
    if let Some(site_ids) = &new.site_ids {
        set_sites(tx, identity.id, site_ids).await?;
    }
    let tenant_id = tx.tenant_id().0;
    identities::add_membership(tx.conn(), identity.id, tenant_id).await?;
    let member = get(tx, identity.id).await?;
    audit::record_change(
        tx,
        "create",
        "member",
        identity.id,
        None,
        Some(&Audited::from(&member)),
    )
    .await?;
    Ok((member, existed))
}

#[derive(Debug, Default)]
pub struct MemberPatch {
    pub role_id: Option<Uuid>,
    /// `Some(None)`: every site; `Some(Some(ids))`: only these.
    pub site_ids: Option<Option<Vec<Uuid>>>,
    pub active: Option<bool>,
    /// `Some(None)`: the company's rate.
    pub hourly_rate_cents: Option<Option<i64>>,
    /// `Some(None)`: the company's capacity.
    pub weekly_capacity_minutes: Option<Option<i32>>,
}

/// Changes a member. The company keeps at least one active administrator who sees every site:
/// the change is made under a lock that serialises such changes in the tenant, then checked
/// (409 `last_admin`), so two administrators demoting each other at once cannot leave none.
pub async fn update(tx: &mut TenantTx, user_id: Uuid, patch: MemberPatch) -> Result<Member> {
    lock_administrators(tx).await?;
    let before = get_for_update(tx, user_id).await?;
    if let Some(role_id) = patch.role_id {
        sqlx::query("UPDATE members SET role_id = $2 WHERE user_id = $1")
            .bind(user_id)
            .bind(role_id)
            .execute(tx.conn())
            .await
            .on_constraint("members_role_id_fkey", || {
                Error::invalid("role_id", gmao_domain::FieldError::new("unknown_role"))
            })?;
    }
    if let Some(site_ids) = &patch.site_ids {
        sqlx::query("UPDATE members SET site_scoped = $2 WHERE user_id = $1")
            .bind(user_id)
            .bind(site_ids.is_some())
            .execute(tx.conn())
            .await?;
        set_sites(tx, user_id, site_ids.as_deref().unwrap_or(&[])).await?;
    }
    if let Some(rate) = patch.hourly_rate_cents {
        sqlx::query("UPDATE members SET hourly_rate_cents = $2 WHERE user_id = $1")
            .bind(user_id)
            .bind(rate)
            .execute(tx.conn())
            .await?;
    }
    if let Some(capacity) = patch.weekly_capacity_minutes {
        sqlx::query("UPDATE members SET weekly_capacity_minutes = $2 WHERE user_id = $1")
            .bind(user_id)
            .bind(capacity)
            .execute(tx.conn())
            .await?;
    }
    if let Some(active) = patch.active {
        sqlx::query(
            "UPDATE members SET active = $2,
                deactivated_at = CASE WHEN $2 THEN NULL ELSE coalesce(deactivated_at, now()) END
             WHERE user_id = $1",
        )
        .bind(user_id)
        .bind(active)
        .execute(tx.conn())
        .await?;
        if !active {
            // Deactivation takes effect at once: end the person's sessions in this tenant.
            let tenant_id = tx.tenant_id().0;
            sessions::revoke_all(
                tx.conn(),
                user_id,
                Some(tenant_id),
                None,
                sessions::RevokeReason::Deactivated,
            )
            .await?;
        }
    }
    let after = get(tx, user_id).await?;
    if full_administrators(tx).await? == 0 {
        return Err(Error::conflict("last_admin", json!({})));
    }
    let action = match (before.active, after.active) {
        (true, false) => "deactivate",
        (false, true) => "reactivate",
        _ => "update",
    };
    audit::record_change(
        tx,
        action,
        "member",
        user_id,
        Some(&Audited::from(&before)),
        Some(&Audited::from(&after)),
    )
    .await?;
    Ok(after)
}

async fn set_sites(tx: &mut TenantTx, user_id: Uuid, site_ids: &[Uuid]) -> Result<()> {
    sqlx::query("DELETE FROM member_sites WHERE user_id = $1")
        .bind(user_id)
        .execute(tx.conn())
        .await?;
    sqlx::query(
        "INSERT INTO member_sites (user_id, site_id)
         SELECT $1, site_id FROM unnest($2::uuid[]) AS site_id ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(site_ids)
    .execute(tx.conn())
    .await
    .on_constraint("member_sites_site_id_fkey", || {
        Error::invalid("site_ids", gmao_domain::FieldError::new("unknown_site"))
    })?;
    Ok(())
}

/// Active members who may be given work on `site_id`: their role carries out work orders and
/// their scope covers the site. By name.
pub async fn assignable(tx: &mut TenantTx, site_id: Uuid) -> Result<Vec<Member>> {
    let candidates: Vec<(Member, Vec<String>)> = sqlx::query_as::<_, AssignableRow>(sqlx::AssertSqlSafe(format!(
        "SELECT x.*, r.permissions AS stored_permissions FROM ({SELECT}
            WHERE m.active
              AND (NOT m.site_scoped OR EXISTS (SELECT 1 FROM member_sites ms WHERE ms.user_id = m.user_id AND ms.site_id = $1))) x
         JOIN roles r ON r.id = x.role_id
         ORDER BY x.full_name, x.user_id"
    )))
    .bind(site_id)
    .fetch_all(tx.conn())
    .await?
    .into_iter()
    .map(|row| (row.member, row.stored_permissions))
    .collect();
    Ok(candidates
        .into_iter()
        .filter(|(member, stored)| carries_out_work(member.role_key.as_deref(), stored))
        .map(|(member, _)| member)
        .collect())
}

/// Whether a role (by its built-in key, else its stored permissions) carries out work orders.
fn carries_out_work(role_key: Option<&str>, stored: &[String]) -> bool {
    let permissions = match role_key.and_then(gmao_domain::BuiltinRole::from_key) {
        Some(builtin) => builtin.permissions(),
        None => gmao_domain::PermissionSet::from_strings(stored),
    };
    permissions.contains(gmao_domain::Permission::WorkOrdersExecute)
}

/// The crew of `sites` (every site: `None`): active members who carry out work orders and
/// whose scope reaches one of the sites, with their weekly capacity in minutes.
pub async fn crew(tx: &mut TenantTx, sites: Option<&[Uuid]>) -> Result<Vec<(Uuid, i64)>> {
    let rows: Vec<(Uuid, Option<String>, Vec<String>, i64)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT m.user_id, r.key, r.permissions, ({})::bigint
             FROM members m JOIN roles r ON r.id = m.role_id
             WHERE m.active
               AND ($1::uuid[] IS NULL OR NOT m.site_scoped OR EXISTS (
                   SELECT 1 FROM member_sites ms
                   WHERE ms.user_id = m.user_id AND ms.site_id = ANY($1)))",
            crate::labour::EFFECTIVE_CAPACITY
        )))
        .bind(sites)
        .fetch_all(tx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .filter(|(_, key, stored, _)| carries_out_work(key.as_deref(), stored))
        .map(|(user, _, _, minutes)| (user, minutes))
        .collect())
}

#[derive(sqlx::FromRow)]
struct AssignableRow {
    #[sqlx(flatten)]
    member: Member,
    stored_permissions: Vec<String>,
}

/// The names of people, by id (members or former members of the tenant).
pub async fn names(tx: &mut TenantTx, ids: &[Uuid]) -> Result<Vec<(Uuid, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, full_name FROM public.users WHERE id = ANY($1) ORDER BY full_name",
    )
    .bind(ids)
    .fetch_all(tx.conn())
    .await?)
}

/// Serialises, within the tenant, the changes that could leave it without an administrator
/// (for the rest of the transaction).
async fn lock_administrators(tx: &mut TenantTx) -> Result<()> {
    sqlx::query(
        "SELECT pg_advisory_xact_lock(hashtextextended('administrators:' || current_schema(), 0))",
    )
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Active administrators (built-in role, active account) who see every site.
pub async fn full_administrators(tx: &mut TenantTx) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM members m
         JOIN roles r ON r.id = m.role_id
         JOIN public.users u ON u.id = m.user_id
         WHERE m.active AND NOT m.site_scoped AND r.key = 'admin' AND u.active",
    )
    .fetch_one(tx.conn())
    .await?)
}

/// Records a login of the member to this company.
pub async fn touch_last_login(tx: &mut TenantTx, user_id: Uuid) -> Result<()> {
    sqlx::query(
        "INSERT INTO member_logins (user_id, last_login_at) VALUES ($1, now())
         ON CONFLICT (user_id) DO UPDATE SET last_login_at = excluded.last_login_at",
    )
    .bind(user_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn count(tx: &mut TenantTx) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM members WHERE active")
            .fetch_one(tx.conn())
            .await?,
    )
}
