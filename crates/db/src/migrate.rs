//! Migrations: `migrations/public` for the control plane, `migrations/tenant` for each tenant
//! schema, with its own history table `"t_…"._sqlx_migrations`.
//!
//! Each tenant migrates in one transaction (the migrations run as savepoints inside it), under
//! an advisory lock of its own, so tenants migrate in parallel, a failure rolls that tenant back
//! whole, and a rerun resumes where things stand. The tenant row records the version reached
//! and the last error.

use std::sync::Arc;

use futures::StreamExt;
use gmao_domain::TenantId;
use sqlx::migrate::Migrator;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::Result;

pub fn public_migrator() -> Migrator {
    sqlx::migrate!("../../migrations/public")
}

fn tenant_migrator(tenant: TenantId) -> Migrator {
    let mut migrator = sqlx::migrate!("../../migrations/tenant");
    migrator.dangerous_set_table_name(format!("{}._sqlx_migrations", tenant.schema().quoted()));
    // sqlx's lock is one per database, which would serialise all tenants; each tenant takes its
    // own lock instead (see apply_tenant_migrations).
    migrator.set_locking(false);
    migrator
}

/// The highest tenant migration this build knows.
pub fn latest_tenant_version() -> i64 {
    tenant_migrator(TenantId(Uuid::nil()))
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

/// Migrates the control plane on a connection of its own, without the pool's statement
/// timeout (a migration may rightly take long); the connection is closed afterwards rather than
/// handed back with that setting.
pub async fn migrate_public(pool: &PgPool) -> Result<()> {
    let mut conn = pool.acquire().await?.detach();
    sqlx::query("SET statement_timeout = 0")
        .execute(&mut conn)
        .await?;
    public_migrator().run(&mut conn).await.map_err(|e| {
        anyhow::Error::new(e).context("migrating the control plane (public schema)")
    })?;
    Ok(())
}

/// What a tenant's migration pass did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// The highest version before the pass (`None`: the schema had no history).
    pub from: Option<i64>,
    pub to: i64,
}

/// Applies the pending migrations of one tenant on `conn`, which must be inside a transaction
/// (its search_path is set here, for that transaction only).
pub async fn apply_tenant_migrations(conn: &mut PgConnection, tenant: TenantId) -> Result<Applied> {
    let schema = tenant.schema();
    sqlx::query("SELECT set_config('search_path', $1, true)")
        .bind(schema.search_path())
        .execute(&mut *conn)
        .await?;
    // A migration may rightly outlast the pool's statement timeout; for this transaction only.
    sqlx::query("SELECT set_config('statement_timeout', '0', true)")
        .execute(&mut *conn)
        .await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))")
        .bind(schema.name())
        .execute(&mut *conn)
        .await?;
    let from = history_version(conn, tenant).await?;
    // run_direct rather than run: run's `Acquire` bound is not general enough for the Send
    // futures of HTTP handlers.
    tenant_migrator(tenant)
        .run_direct(None, &mut *conn, false)
        .await
        .map_err(anyhow::Error::new)?;
    let version = history_version(conn, tenant).await?.unwrap_or(0);
    sqlx::query(
        "UPDATE public.tenants
         SET schema_version = $2, migration_error = NULL, migrated_at = now()
         WHERE id = $1 AND (schema_version IS DISTINCT FROM $2 OR migration_error IS NOT NULL)",
    )
    .bind(tenant.0)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    Ok(Applied { from, to: version })
}

/// The highest successful version in the tenant's history table, if it has one.
async fn history_version(conn: &mut PgConnection, tenant: TenantId) -> Result<Option<i64>> {
    let table = format!("{}._sqlx_migrations", tenant.schema().quoted());
    let exists: Option<String> = sqlx::query_scalar("SELECT to_regclass($1)::text")
        .bind(&table)
        .fetch_one(&mut *conn)
        .await?;
    if exists.is_none() {
        return Ok(None);
    }
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT max(version) FROM {table} WHERE success"
    )))
    .fetch_one(&mut *conn)
    .await?)
}

#[derive(Debug, Clone)]
pub struct MigrateAllOptions {
    /// How many tenants migrate at once.
    pub concurrency: usize,
    /// Only these tenants (all when `None`).
    pub only: Option<Vec<TenantId>>,
}

impl Default for MigrateAllOptions {
    fn default() -> Self {
        MigrateAllOptions {
            concurrency: 8,
            only: None,
        }
    }
}

#[derive(Debug, Clone)]
pub enum TenantOutcome {
    /// Pending migrations were applied, from the first version to the second.
    Migrated {
        from: Option<i64>,
        to: i64,
    },
    /// Already current.
    Current {
        version: i64,
    },
    Failed {
        error: String,
    },
}

#[derive(Debug, Clone)]
pub struct TenantMigration {
    pub tenant_id: TenantId,
    pub slug: String,
    pub outcome: TenantOutcome,
}

/// What a pass over tenants reports as it goes, for a progress bar or log lines.
pub enum Progress<'a> {
    Started { total: usize },
    Tenant(&'a TenantMigration),
}

#[derive(Debug, Default)]
pub struct MigrationReport {
    pub tenants: Vec<TenantMigration>,
}

impl MigrationReport {
    pub fn failed(&self) -> impl Iterator<Item = &TenantMigration> {
        self.tenants
            .iter()
            .filter(|t| matches!(t.outcome, TenantOutcome::Failed { .. }))
    }

    pub fn migrated_count(&self) -> usize {
        self.tenants
            .iter()
            .filter(|t| matches!(t.outcome, TenantOutcome::Migrated { .. }))
            .count()
    }

    pub fn current_count(&self) -> usize {
        self.tenants
            .iter()
            .filter(|t| matches!(t.outcome, TenantOutcome::Current { .. }))
            .count()
    }
}

/// Migrates every tenant (or those of `options.only`) with bounded parallelism. A failing tenant
/// is rolled back, its error recorded on its row, and the others go on.
pub async fn migrate_tenants(
    pool: &PgPool,
    options: &MigrateAllOptions,
    progress: &(dyn Fn(Progress<'_>) + Send + Sync),
) -> Result<MigrationReport> {
    let mut tenants: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT id, slug FROM public.tenants ORDER BY created_at, id")
            .fetch_all(pool)
            .await?;
    if let Some(only) = &options.only {
        tenants.retain(|(id, _)| only.contains(&TenantId(*id)));
    }
    progress(Progress::Started {
        total: tenants.len(),
    });
    let pool = Arc::new(pool.clone());
    let mut results = futures::stream::iter(tenants)
        .map(|(id, slug)| {
            let pool = Arc::clone(&pool);
            async move {
                let tenant_id = TenantId(id);
                let outcome = match migrate_one(&pool, tenant_id).await {
                    Ok(applied) if applied.from == Some(applied.to) => TenantOutcome::Current {
                        version: applied.to,
                    },
                    Ok(applied) => TenantOutcome::Migrated {
                        from: applied.from,
                        to: applied.to,
                    },
                    Err(error) => {
                        let message = format!("{error:#}");
                        record_failure(&pool, tenant_id, &message).await;
                        TenantOutcome::Failed { error: message }
                    }
                };
                TenantMigration {
                    tenant_id,
                    slug,
                    outcome,
                }
            }
        })
        .buffer_unordered(options.concurrency.max(1));
    let mut report = MigrationReport::default();
    while let Some(done) = results.next().await {
        progress(Progress::Tenant(&done));
        report.tenants.push(done);
    }
    Ok(report)
}

async fn migrate_one(pool: &PgPool, tenant: TenantId) -> anyhow::Result<Applied> {
    let mut tx = pool.begin().await?;
    let version = apply_tenant_migrations(&mut tx, tenant)
        .await
        .map_err(|e| match e {
            crate::Error::Other(e) => e,
            other => anyhow::Error::new(other),
        })?;
    tx.commit().await?;
    Ok(version)
}

async fn record_failure(pool: &PgPool, tenant: TenantId, message: &str) {
    let recorded = sqlx::query("UPDATE public.tenants SET migration_error = $2 WHERE id = $1")
        .bind(tenant.0)
        .bind(message)
        .execute(pool)
        .await;
    if let Err(error) = recorded {
        tracing::error!(%tenant, %error, "could not record a tenant's migration failure");
    }
}

/// Whether every tenant is at the latest version this build knows (for `/readyz`).
pub async fn pending_tenants(pool: &PgPool) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM public.tenants WHERE schema_version IS DISTINCT FROM $1",
    )
    .bind(latest_tenant_version())
    .fetch_one(pool)
    .await?)
}

/// Whether the control plane has every migration this build knows.
pub async fn public_is_current(pool: &PgPool) -> Result<bool> {
    let latest = public_migrator()
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0);
    let applied: Option<i64> =
        sqlx::query_scalar("SELECT max(version) FROM public._sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await?;
    Ok(applied == Some(latest))
}
