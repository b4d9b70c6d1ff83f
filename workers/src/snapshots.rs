//! The night's KPI snapshots: once a day the leader queues one job per active company (one per
//! company and day, by its idempotency key) that records the backlog at the end of each
//! complete local day of each site (`gmao_db::kpi_snapshots`). A run that was missed is made
//! up by the next one (a week back).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use apalis::prelude::{BoxDynError, Data};
use chrono::{DateTime, Utc};
use futures::FutureExt;
use gmao_db::{Actor, TenantTx, kpi_snapshots};
use gmao_domain::TenantId;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::periodic::Trigger;
use crate::queue::{self, IdempotencyKey, Job};
use crate::supervise::WorkerFactory;

/// Take one company's snapshots as of `as_of`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KpiSnapshot {
    pub tenant_id: Uuid,
    pub as_of: DateTime<Utc>,
}

impl Job for KpiSnapshot {
    const QUEUE: &'static str = "kpi_snapshot";
    const MAX_ATTEMPTS: usize = 5;
    const TIMEOUT: Duration = Duration::from_secs(10 * 60);
}

/// Records one company's missing snapshots; answers how many.
pub async fn take(pool: &PgPool, tenant: TenantId, as_of: DateTime<Utc>) -> anyhow::Result<u64> {
    let mut tx = TenantTx::begin(pool, tenant, Actor::system()).await?;
    let added = kpi_snapshots::take(&mut tx, as_of)
        .await
        .context("taking the backlog snapshots")?;
    tx.commit().await?;
    Ok(added)
}

pub(crate) fn trigger(cron: &str) -> Trigger {
    Trigger {
        name: KpiSnapshot::QUEUE,
        cron: cron.to_owned(),
        fire: Arc::new(|pool, tick| {
            async move {
                let tenants: Vec<Uuid> = sqlx::query_scalar(
                    "SELECT id FROM public.tenants WHERE status = 'active' AND schema_version >= $1",
                )
                .bind(gmao_db::migrate::latest_tenant_version())
                .fetch_all(&pool)
                .await?;
                let mut storage = queue::storage::<KpiSnapshot>(&pool);
                for tenant in tenants {
                    let key =
                        IdempotencyKey::for_tenant_tick(KpiSnapshot::QUEUE, TenantId(tenant), tick);
                    let job = KpiSnapshot {
                        tenant_id: tenant,
                        as_of: tick,
                    };
                    queue::enqueue(&mut storage, job, &key).await?;
                }
                Ok(())
            }
            .boxed()
        }),
    }
}

async fn handle(job: KpiSnapshot, pool: Data<PgPool>) -> Result<(), BoxDynError> {
    let tenant = TenantId(job.tenant_id);
    let added = take(&pool, tenant, job.as_of)
        .await
        .map_err(|e| format!("{e:#}"))?;
    if added > 0 {
        tracing::info!(%tenant, added, "backlog snapshots taken");
    }
    Ok(())
}

pub(crate) fn worker(pool: PgPool, concurrency: usize) -> anyhow::Result<WorkerFactory> {
    crate::supervise::factory::<KpiSnapshot, PgPool>(
        pool.clone(),
        concurrency,
        pool,
        |job, pool| handle(job, pool).boxed(),
    )
}
