//! The catalogue of permissions, for role editors.

use std::sync::Arc;

use gmao_domain::{Locale, Permission};
use poem::Request;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::{ApiTags, page_of};
use crate::auth::{BearerAuth, Ctx};
use crate::error::ApiResult;
use crate::state::AppState;

pub struct PermissionsApi;

#[derive(Debug, Object)]
pub struct PermissionInfo {
    /// `area:action`, as roles list them.
    pub key: String,
    /// The part before the colon, to group permissions.
    pub area: String,
    /// What it allows, in the caller's language.
    pub description: String,
}

page_of!(
    PermissionPage,
    PermissionInfo,
    "Every permission a role can hold."
);

#[OpenApi(tag = "ApiTags::Roles")]
impl PermissionsApi {
    /// List every permission
    #[oai(path = "/permissions", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
    ) -> ApiResult<Json<PermissionPage>> {
        let ctx = Ctx::open(&state, &auth, req).await?;
        let locale = ctx.principal.locale;
        ctx.commit().await?;
        let items: Vec<PermissionInfo> = Permission::ALL
            .iter()
            .map(|p| {
                let (en, fr) = p.description();
                PermissionInfo {
                    key: p.as_str().into(),
                    area: p.area().into(),
                    description: match locale {
                        Locale::Fr => fr.into(),
                        Locale::En => en.into(),
                    },
                }
            })
            .collect();
        let total = items.len() as i64;
        Ok(Json(PermissionPage {
            per_page: u32::try_from(items.len()).unwrap_or(u32::MAX),
            items,
            total,
            page: 1,
        }))
    }
}
