//! Preventive maintenance jobs: a periodic sweep (on the leader) fans out one generation job per
//! tenant; a meter reading queues a generation for the plans counting that meter. Generation
//! itself is `gmao_db::pm_generation::generate`, exactly once by construction; these jobs only
//! decide when it runs, and may run twice without harm.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use apalis::prelude::{BoxDynError, Data};
use chrono::{DateTime, Utc};
use futures::FutureExt;
use gmao_db::pm_generation::{self, GenerationReport};
use gmao_db::{Actor, TenantTx};
use gmao_domain::TenantId;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::periodic::Trigger;
use crate::queue::{self, Enqueued, IdempotencyKey, Job};
use crate::supervise::WorkerFactory;

/// One sweep: queue a generation for every active tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PmSweep {
    pub tick: DateTime<Utc>,
}

impl Job for PmSweep {
    const QUEUE: &'static str = "pm_sweep";
    const MAX_ATTEMPTS: usize = 3;
    const TIMEOUT: Duration = Duration::from_secs(5 * 60);
}

/// Generate the due preventive orders of one tenant, as of `as_of`; only for the plans counting
/// `meter_id` when given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PmGeneration {
    pub tenant_id: Uuid,
    pub as_of: DateTime<Utc>,
    pub meter_id: Option<Uuid>,
}

impl Job for PmGeneration {
    const QUEUE: &'static str = "pm_generation";
    const MAX_ATTEMPTS: usize = 5;
    const TIMEOUT: Duration = Duration::from_secs(5 * 60);
}

/// Runs one tenant's generation in its own transaction.
pub async fn generate_for_tenant(
    pool: &PgPool,
    tenant: TenantId,
    as_of: DateTime<Utc>,
    meter_id: Option<Uuid>,
) -> anyhow::Result<GenerationReport> {
    let mut tx = TenantTx::begin(pool, tenant, Actor::system())
        .await
        .context("opening the tenant transaction")?;
    let report = pm_generation::generate(&mut tx, as_of, meter_id)
        .await
        .context("generating preventive work orders")?;
    tx.commit()
        .await
        .context("committing generated work orders")?;
    Ok(report)
}

/// The tenants a sweep covers: active ones whose schema is migrated (a tenant behind waits).
async fn active_tenants(pool: &PgPool) -> anyhow::Result<Vec<Uuid>> {
    sqlx::query_scalar(
        "SELECT id FROM public.tenants WHERE status = 'active' AND schema_version >= $1 ORDER BY id",
    )
    .bind(gmao_db::migrate::latest_tenant_version())
    .fetch_all(pool)
    .await
    .context("listing tenants to sweep")
}

async fn handle_sweep(job: PmSweep, pool: Data<PgPool>) -> Result<(), BoxDynError> {
    let tenants = active_tenants(&pool).await.map_err(|e| format!("{e:#}"))?;
    let mut storage = queue::storage::<PmGeneration>(&pool);
    let mut queued = 0usize;
    for tenant in tenants {
        let generation = PmGeneration {
            tenant_id: tenant,
            as_of: job.tick,
            meter_id: None,
        };
        let key = IdempotencyKey::for_tenant_tick(PmGeneration::QUEUE, TenantId(tenant), job.tick);
        if queue::enqueue(&mut storage, generation, &key)
            .await
            .map_err(|e| format!("{e:#}"))?
            == Enqueued::Queued
        {
            queued += 1;
        }
    }
    tracing::info!(tick = %job.tick, queued, "preventive maintenance sweep queued");
    Ok(())
}

async fn handle_generation(job: PmGeneration, pool: Data<PgPool>) -> Result<(), BoxDynError> {
    let tenant = TenantId(job.tenant_id);
    match generate_for_tenant(&pool, tenant, job.as_of, job.meter_id).await {
        Ok(report) => {
            if report.created > 0 {
                tracing::info!(%tenant, plans = report.plans, created = report.created, as_of = %job.as_of, "preventive work orders generated");
            }
            Ok(())
        }
        Err(error) => {
            let error = format!("{error:#}");
            tracing::warn!(%tenant, %error, "preventive generation failed; it will be retried");
            Err(error.into())
        }
    }
}

/// Queues the generation a new meter reading may cause. Best effort: the periodic sweep catches
/// up with anything a failed enqueue misses.
pub async fn enqueue_after_reading(
    pool: &PgPool,
    tenant: TenantId,
    meter_id: Uuid,
    reading_id: Uuid,
) -> anyhow::Result<Enqueued> {
    let mut storage = queue::storage::<PmGeneration>(pool);
    let job = PmGeneration {
        tenant_id: tenant.0,
        as_of: Utc::now(),
        meter_id: Some(meter_id),
    };
    let key = IdempotencyKey::for_tenant_event(
        PmGeneration::QUEUE,
        tenant,
        &format!("reading:{reading_id}"),
    );
    queue::enqueue(&mut storage, job, &key).await
}

/// Queues one generation of every plan of the tenant after a readings import.
pub async fn enqueue_after_import(
    pool: &PgPool,
    tenant: TenantId,
    import_id: Uuid,
) -> anyhow::Result<Enqueued> {
    let mut storage = queue::storage::<PmGeneration>(pool);
    let job = PmGeneration {
        tenant_id: tenant.0,
        as_of: Utc::now(),
        meter_id: None,
    };
    let key = IdempotencyKey::for_tenant_event(
        PmGeneration::QUEUE,
        tenant,
        &format!("import:{import_id}"),
    );
    queue::enqueue(&mut storage, job, &key).await
}

/// The periodic sweep, on the leader.
pub(crate) fn trigger(cron: &str) -> Trigger {
    Trigger {
        name: PmSweep::QUEUE,
        cron: cron.to_owned(),
        fire: Arc::new(|pool, tick| {
            async move {
                let job = PmSweep { tick };
                let key = IdempotencyKey::for_tick(PmSweep::QUEUE, tick);
                let mut storage = queue::storage::<PmSweep>(&pool);
                if queue::enqueue(&mut storage, job, &key).await? == Enqueued::Queued {
                    tracing::debug!(%key, "preventive maintenance sweep queued");
                }
                Ok(())
            }
            .boxed()
        }),
    }
}

pub(crate) fn sweep_worker(pool: PgPool, concurrency: usize) -> anyhow::Result<WorkerFactory> {
    crate::supervise::factory::<PmSweep, PgPool>(pool.clone(), concurrency, pool, |job, pool| {
        handle_sweep(job, pool).boxed()
    })
}

pub(crate) fn generation_worker(pool: PgPool, concurrency: usize) -> anyhow::Result<WorkerFactory> {
    crate::supervise::factory::<PmGeneration, PgPool>(
        pool.clone(),
        concurrency,
        pool,
        |job, pool| handle_generation(job, pool).boxed(),
    )
}
