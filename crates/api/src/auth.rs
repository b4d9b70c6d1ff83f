//! Authentication at the edge (the bearer token) and the tenant context of a request: its
//! transaction and the principal loaded inside it.

use std::sync::Arc;

use gmao_db::principal::{self, Denied, Principal};
use gmao_db::{Actor, TenantTx};
use gmao_domain::{Permission, TenantId};
use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;

use crate::error::{ApiError, ApiResult};
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::tokens::Claims;

/// A bearer access token (`Authorization: Bearer <jwt>`) from `/auth/login`, `/auth/signup` or
/// `/auth/refresh`.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "JWT", checker = "check_bearer")]
pub struct BearerAuth(pub Claims);

async fn check_bearer(req: &Request, bearer: Bearer) -> poem::Result<Claims> {
    let state = req
        .data::<Arc<AppState>>()
        .ok_or_else(|| ApiError::internal("application state missing from request"))?;
    Ok(state.tokens.verify(&bearer.token)?)
}

pub fn request_id(req: &Request) -> Option<String> {
    req.data::<RequestId>().map(|r| r.0.clone())
}

/// A tenant request in progress: the transaction (search_path = the tenant's schema) and who
/// is calling. Every tenant endpoint starts with [`Ctx::open`] and ends with [`Ctx::commit`].
pub struct Ctx {
    pub tx: TenantTx,
    pub principal: Principal,
}

impl Ctx {
    /// Opens the request's transaction and loads the caller. A person whose password an
    /// administrator chose may do nothing until they change it (403
    /// `password_change_required`), except what [`Ctx::open_to_change_password`] serves.
    pub async fn open(state: &AppState, auth: &BearerAuth, req: &Request) -> ApiResult<Ctx> {
        let ctx = Ctx::open_to_change_password(state, auth, req).await?;
        if ctx.principal.must_change_password {
            return Err(ApiError::forbidden("password_change_required"));
        }
        Ok(ctx)
    }

    /// Like [`Ctx::open`], for the few endpoints a person who must change their password may
    /// use: who they are, and the change itself.
    pub async fn open_to_change_password(
        state: &AppState,
        auth: &BearerAuth,
        req: &Request,
    ) -> ApiResult<Ctx> {
        let claims = &auth.0;
        let tenant_id = claims.tid.ok_or_else(|| ApiError::forbidden("no_tenant"))?;
        let actor = Actor::user(claims.sub, request_id(req));
        let mut tx = TenantTx::begin(&state.pool, TenantId(tenant_id), actor).await?;
        match principal::load(&mut tx, claims.sid, claims.sub).await? {
            Ok(principal) => Ok(Ctx { tx, principal }),
            Err(denied) => Err(denied_error(denied)),
        }
    }

    /// 403 `forbidden` unless the caller's role grants `permission`.
    pub fn require(&self, permission: Permission) -> ApiResult<()> {
        if self.principal.can(permission) {
            Ok(())
        } else {
            Err(ApiError::forbidden("forbidden")
                .with_details(serde_json::json!({"permission": permission.as_str()})))
        }
    }

    pub async fn commit(self) -> ApiResult<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

pub fn denied_error(denied: Denied) -> ApiError {
    match denied {
        Denied::SessionEnded | Denied::NotMember => ApiError::unauthorized("session_ended"),
        Denied::TenantSuspended => ApiError::forbidden("tenant_suspended"),
        Denied::AccountDisabled => ApiError::forbidden("account_disabled"),
    }
}
