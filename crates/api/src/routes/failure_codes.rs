//! The catalogue of failure codes (problem / cause / remedy) a company edits.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use gmao_db::failure_codes::{self, FailureCodeInput};
use gmao_domain::{FieldErrors, Permission, text};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::vocabulary::FailureCodeKind;
use super::{ApiTags, Created, NoContent, page_of};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct FailureCodesApi;

#[derive(Debug, Object)]
pub struct FailureCode {
    pub id: Uuid,
    pub kind: FailureCodeKind,
    /// Unique per kind, upper-case (`FUITE`, `USURE`, `REMPL`).
    pub code: String,
    pub label: String,
    #[oai(nullable)]
    pub description: Option<String>,
    /// Inactive codes stay on past orders but are no longer offered.
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<failure_codes::FailureCode> for FailureCode {
    fn from(f: failure_codes::FailureCode) -> Self {
        FailureCode {
            id: f.id,
            kind: FailureCodeKind::stored(&f.kind),
            code: f.code,
            label: f.label,
            description: f.description,
            active: f.active,
            created_at: f.created_at,
            updated_at: f.updated_at,
        }
    }
}

page_of!(FailureCodeList, FailureCode, "The failure code catalogue.");

#[derive(Debug, Object)]
pub struct NewFailureCode {
    pub kind: FailureCodeKind,
    pub code: String,
    pub label: String,
    #[oai(nullable)]
    pub description: Option<String>,
}

#[derive(Debug, Object)]
pub struct FailureCodeUpdate {
    pub code: Option<String>,
    pub label: Option<String>,
    #[oai(nullable)]
    pub description: MaybeUndefined<String>,
    pub active: Option<bool>,
}

#[OpenApi(prefix_path = "/failure-codes", tag = "ApiTags::WorkOrders")]
impl FailureCodesApi {
    /// List failure codes
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        kind: Query<Option<FailureCodeKind>>,
        /// Include deactivated codes (default false).
        include_inactive: Query<Option<bool>>,
    ) -> ApiResult<Json<FailureCodeList>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        let list = failure_codes::list(
            &mut ctx.tx,
            kind.0.map(FailureCodeKind::as_str),
            include_inactive.0.unwrap_or(false),
        )
        .await?;
        ctx.commit().await?;
        Ok(Json(FailureCodeList::all(
            list.into_iter().map(FailureCode::from).collect(),
        )))
    }

    /// Add a failure code
    #[oai(path = "/", method = "post")]
    async fn create(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<NewFailureCode>,
    ) -> ApiResult<Created<FailureCode>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::FailureCodesManage)?;
        let mut errors = FieldErrors::new();
        let code = errors.check("code", text::code(&body.code));
        let label = errors.check("label", text::name(&body.label, 120));
        let description = errors.check(
            "description",
            text::optional_text(body.description.as_deref(), 1000),
        );
        errors.clone().into_result()?;
        let (Some(code), Some(label), Some(description)) = (code, label, description) else {
            return Err(ApiError::fields(&errors));
        };
        let created = failure_codes::create(
            &mut ctx.tx,
            FailureCodeInput {
                kind: body.kind.as_str().to_owned(),
                code,
                label,
                description,
                active: true,
            },
        )
        .await?;
        ctx.commit().await?;
        Ok(Created::Created(Json(created.into())))
    }

    /// Change a failure code, or deactivate it
    #[oai(path = "/:id", method = "patch")]
    async fn update(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<FailureCodeUpdate>,
    ) -> ApiResult<Json<FailureCode>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::FailureCodesManage)?;
        let before = failure_codes::get(&mut ctx.tx, id.0).await?;
        let b = body.0;
        let mut errors = FieldErrors::new();
        let mut input = FailureCodeInput::from(&before);
        if let Some(code) = &b.code {
            input.code = errors.check("code", text::code(code)).unwrap_or_default();
        }
        if let Some(label) = &b.label {
            input.label = errors
                .check("label", text::name(label, 120))
                .unwrap_or_default();
        }
        match b.description {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => input.description = None,
            MaybeUndefined::Value(d) => {
                input.description = errors
                    .check("description", text::optional_text(Some(&d), 1000))
                    .flatten()
            }
        }
        if let Some(active) = b.active {
            input.active = active;
        }
        errors.into_result()?;
        let updated = failure_codes::update(&mut ctx.tx, &before, input).await?;
        ctx.commit().await?;
        Ok(Json(updated.into()))
    }

    /// Delete an unused failure code
    ///
    /// Codes used by work orders answer 409 `in_use`: deactivate them instead.
    #[oai(path = "/:id", method = "delete")]
    async fn delete(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::FailureCodesManage)?;
        failure_codes::delete(&mut ctx.tx, id.0).await?;
        ctx.commit().await?;
        Ok(NoContent::NoContent)
    }
}
