//! Identities (`public.users`): one per person and email, shared by every tenant they belong to.

use chrono::{DateTime, Utc};
use gmao_domain::{Email, Locale};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{ConstraintExt, Error, Result};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Identity {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub locale: String,
    pub is_platform_operator: bool,
    pub active: bool,
    #[serde(skip)]
    pub password_hash: String,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// When the owner of the mailbox proved it; `None`: never.
    pub email_verified_at: Option<DateTime<Utc>>,
    /// An initial password given by an administrator, to change at first login.
    pub must_change_password: bool,
}

impl Identity {
    pub fn locale(&self) -> Locale {
        Locale::parse(&self.locale).unwrap_or_default()
    }
}

const COLUMNS: &str = "id, email, full_name, locale, is_platform_operator, active, password_hash, \
                       last_login_at, created_at, email_verified_at, must_change_password";

pub async fn find_by_email(conn: &mut PgConnection, email: &Email) -> Result<Option<Identity>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM public.users WHERE email = $1"
    )))
    .bind(email.as_str())
    .fetch_optional(conn)
    .await?)
}

pub async fn get(conn: &mut PgConnection, id: Uuid) -> Result<Identity> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM public.users WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)
}

pub struct NewIdentity<'a> {
    pub email: &'a Email,
    pub full_name: &'a str,
    pub password_hash: &'a str,
    pub locale: Locale,
    pub is_platform_operator: bool,
    /// The mailbox is proven already (the account is made by accepting a mailed invitation).
    pub verified: bool,
    /// The password was given by someone else: to change at first login.
    pub must_change_password: bool,
}

pub async fn create(conn: &mut PgConnection, new: NewIdentity<'_>) -> Result<Identity> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO public.users (id, email, full_name, password_hash, locale, is_platform_operator,
                                   email_verified_at, must_change_password)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7 THEN now() END, $8)
         RETURNING {COLUMNS}"
    )))
    .bind(Uuid::now_v7())
    .bind(new.email.as_str())
    .bind(new.full_name)
    .bind(new.password_hash)
    .bind(new.locale.as_str())
    .bind(new.is_platform_operator)
    .bind(new.verified)
    .bind(new.must_change_password)
    .fetch_one(conn)
    .await
    .on_constraint("users_email_key", || {
        Error::conflict("email_taken", serde_json::json!({"field": "email"}))
    })
}

#[derive(Debug, Default)]
pub struct ProfilePatch {
    pub full_name: Option<String>,
    pub locale: Option<Locale>,
}

pub async fn update_profile(
    conn: &mut PgConnection,
    id: Uuid,
    patch: &ProfilePatch,
) -> Result<Identity> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE public.users
         SET full_name = coalesce($2, full_name), locale = coalesce($3, locale)
         WHERE id = $1
         RETURNING {COLUMNS}"
    )))
    .bind(id)
    .bind(&patch.full_name)
    .bind(patch.locale.map(Locale::as_str))
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)
}

/// Sets a password the person chose (no change is required of them any more).
pub async fn set_password_hash(
    conn: &mut PgConnection,
    id: Uuid,
    password_hash: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE public.users
         SET password_hash = $2, password_changed_at = now(), must_change_password = false
         WHERE id = $1",
    )
    .bind(id)
    .bind(password_hash)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records that the owner of the mailbox proved it.
pub async fn mark_verified(conn: &mut PgConnection, id: Uuid) -> Result<()> {
    sqlx::query(
        "UPDATE public.users SET email_verified_at = coalesce(email_verified_at, now())
         WHERE id = $1",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_platform_operator(
    conn: &mut PgConnection,
    id: Uuid,
    operator: bool,
) -> Result<()> {
    sqlx::query("UPDATE public.users SET is_platform_operator = $2 WHERE id = $1")
        .bind(id)
        .bind(operator)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn touch_last_login(conn: &mut PgConnection, id: Uuid) -> Result<()> {
    sqlx::query("UPDATE public.users SET last_login_at = now() WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A tenant an identity belongs to, as login shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MembershipTenant {
    pub tenant_id: Uuid,
    pub slug: String,
    pub name: String,
    pub status: String,
}

/// The tenants of an identity, active ones only unless `include_suspended`.
pub async fn tenants_of(conn: &mut PgConnection, user_id: Uuid) -> Result<Vec<MembershipTenant>> {
    Ok(sqlx::query_as(
        "SELECT t.id AS tenant_id, t.slug, t.name, t.status
         FROM public.memberships m JOIN public.tenants t ON t.id = m.tenant_id
         WHERE m.user_id = $1
         ORDER BY t.name, t.slug",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

pub async fn add_membership(conn: &mut PgConnection, user_id: Uuid, tenant_id: Uuid) -> Result<()> {
    sqlx::query(
        "INSERT INTO public.memberships (user_id, tenant_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(tenant_id)
    .execute(conn)
    .await?;
    Ok(())
}
