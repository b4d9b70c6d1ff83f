//! The caller's company and what it holds.

use std::sync::Arc;

use gmao_db::{
    equipment, members, plants, production_lines, sites, tenants, work_orders, work_requests,
};
use poem::Request;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::ApiTags;
use crate::auth::{BearerAuth, Ctx};
use crate::error::ApiResult;
use crate::state::AppState;

pub struct TenantApi;

/// How much the company holds, within the caller's site scope.
#[derive(Debug, Object)]
pub struct TenantCounts {
    pub sites: i64,
    pub plants: i64,
    pub production_lines: i64,
    /// Active members of the company.
    pub members: i64,
    /// Equipment in service (not archived).
    pub equipment: i64,
    /// Work orders not yet completed.
    pub open_work_orders: i64,
    /// Open work orders past their due date.
    pub overdue_work_orders: i64,
    /// Work requests waiting for a decision.
    pub pending_requests: i64,
}

#[derive(Debug, Object)]
pub struct TenantSummary {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub status: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub counts: TenantCounts,
}

#[OpenApi(prefix_path = "/tenant", tag = "ApiTags::Tenant")]
impl TenantApi {
    /// My company, with its counts
    #[oai(path = "/", method = "get")]
    async fn get(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
    ) -> ApiResult<Json<TenantSummary>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let tenant = tenants::get(ctx.tx.conn(), ctx.principal.tenant_id).await?;
        let scope = ctx.principal.site_scope.clone();
        let (open_work_orders, overdue_work_orders) =
            work_orders::active_counts(&mut ctx.tx, scope.as_deref()).await?;
        let counts = TenantCounts {
            sites: sites::count(&mut ctx.tx, scope.as_deref()).await?,
            plants: plants::count(&mut ctx.tx, scope.as_deref()).await?,
            production_lines: production_lines::count(&mut ctx.tx, scope.as_deref()).await?,
            members: members::count(&mut ctx.tx).await?,
            equipment: equipment::count(&mut ctx.tx, scope.as_deref()).await?,
            open_work_orders,
            overdue_work_orders,
            pending_requests: work_requests::submitted_count(&mut ctx.tx, scope.as_deref()).await?,
        };
        ctx.commit().await?;
        Ok(Json(TenantSummary {
            id: tenant.id,
            slug: tenant.slug,
            name: tenant.name,
            status: tenant.status,
            created_at: tenant.created_at,
            counts,
        }))
    }
}
