//! Tenants in the control plane, and provisioning of their schemas.

use chrono::{DateTime, Utc};
use gmao_domain::{TenantId, TenantSlug, TenantStatus};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{ConstraintExt, Error, Result, migrate};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Tenant {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub schema_name: String,
    pub status: String,
    pub schema_version: Option<i64>,
    pub migration_error: Option<String>,
    pub migrated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Tenant {
    pub fn tenant_id(&self) -> TenantId {
        TenantId(self.id)
    }

    pub fn status(&self) -> TenantStatus {
        TenantStatus::parse(&self.status).unwrap_or(TenantStatus::Suspended)
    }
}

const COLUMNS: &str = "id, slug, name, schema_name, status, schema_version, migration_error, \
                       migrated_at, created_at";

/// Inserts the tenant row, creates its schema and applies every tenant migration (which seed
/// the built-in roles), all on `conn`, which must be inside a transaction: a failure leaves
/// nothing behind.
pub async fn create_and_provision(
    conn: &mut PgConnection,
    slug: &TenantSlug,
    name: &str,
) -> Result<Tenant> {
    let id = TenantId::new();
    let schema = id.schema();
    sqlx::query("INSERT INTO public.tenants (id, slug, name, schema_name) VALUES ($1, $2, $3, $4)")
        .bind(id.0)
        .bind(slug.as_str())
        .bind(name)
        .bind(schema.name())
        .execute(&mut *conn)
        .await
        .on_constraint("tenants_slug_key", || {
            Error::conflict("slug_taken", serde_json::json!({"field": "tenant_slug"}))
        })?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE SCHEMA {}",
        schema.quoted()
    )))
    .execute(&mut *conn)
    .await?;
    migrate::apply_tenant_migrations(conn, id).await?;
    get(conn, id).await
}

pub async fn get(conn: &mut PgConnection, id: TenantId) -> Result<Tenant> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM public.tenants WHERE id = $1"
    )))
    .bind(id.0)
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)
}

pub async fn find_by_slug(conn: &mut PgConnection, slug: &str) -> Result<Option<Tenant>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM public.tenants WHERE slug = $1"
    )))
    .bind(slug)
    .fetch_optional(conn)
    .await?)
}

pub async fn list(conn: &mut PgConnection) -> Result<Vec<Tenant>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM public.tenants ORDER BY created_at, id"
    )))
    .fetch_all(conn)
    .await?)
}

/// Suspends or resumes a tenant; answers the tenant before and after.
pub async fn set_status(
    conn: &mut PgConnection,
    id: TenantId,
    status: TenantStatus,
) -> Result<(Tenant, Tenant)> {
    let before: Tenant = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM public.tenants WHERE id = $1 FOR UPDATE"
    )))
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let after = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE public.tenants SET status = $2 WHERE id = $1 RETURNING {COLUMNS}"
    )))
    .bind(id.0)
    .bind(status.as_str())
    .fetch_one(conn)
    .await?;
    Ok((before, after))
}

/// Counts by status, for metrics.
pub async fn count_by_status(conn: &mut PgConnection) -> Result<Vec<(String, i64)>> {
    Ok(
        sqlx::query_as("SELECT status, count(*) FROM public.tenants GROUP BY status")
            .fetch_all(conn)
            .await?,
    )
}

/// Records a control-plane write in `public.platform_audit_log`.
pub async fn audit_platform(
    conn: &mut PgConnection,
    actor_id: Option<Uuid>,
    request_id: Option<&str>,
    action: &str,
    entity: &str,
    entity_id: Uuid,
    changes: serde_json::Value,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO public.platform_audit_log (id, actor_id, action, entity, entity_id, changes, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::now_v7())
    .bind(actor_id)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(changes)
    .bind(request_id)
    .execute(conn)
    .await?;
    Ok(())
}
