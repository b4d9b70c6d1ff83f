//! The caller's company and what it holds.

use std::sync::Arc;

use gmao_db::{members, plants, production_lines, sites, tenants};
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
        let counts = TenantCounts {
            sites: sites::count(&mut ctx.tx, scope.as_deref()).await?,
            plants: plants::count(&mut ctx.tx, scope.as_deref()).await?,
            production_lines: production_lines::count(&mut ctx.tx, scope.as_deref()).await?,
            members: members::count(&mut ctx.tx).await?,
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
