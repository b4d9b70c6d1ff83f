//! Specification templates: the labelled fields, with units, of an equipment category.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use gmao_db::spec_templates::{self, SpecField, SpecTemplateInput};
use gmao_domain::{FieldError, FieldErrors, Permission, text};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::{ApiTags, Created, NoContent, page_of, page_request, search};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct SpecTemplatesApi;

/// Fields a category's template holds at most.
const MAX_FIELDS: usize = 50;

/// One specification of the category's equipment.
#[derive(Debug, Clone, Object)]
pub struct SpecFieldView {
    /// The key in the equipment's `specifications` (`puissance_kw`): lowercase letters,
    /// digits and `_`, starting with a letter, 40 at most.
    pub key: String,
    /// What people read (`Puissance`).
    pub label: String,
    #[oai(nullable)]
    pub unit: Option<String>,
}

#[derive(Debug, Object)]
pub struct SpecTemplate {
    pub id: Uuid,
    /// The equipment category it describes (matched case aside).
    pub category: String,
    pub fields: Vec<SpecFieldView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

page_of!(
    SpecTemplatePage,
    SpecTemplate,
    "A page of specification templates."
);

#[derive(Debug, Object)]
pub struct SpecTemplateRequest {
    pub category: String,
    pub fields: Vec<SpecFieldView>,
}

fn describe(t: spec_templates::SpecTemplate) -> SpecTemplate {
    SpecTemplate {
        id: t.id,
        category: t.category,
        fields: t
            .fields
            .0
            .into_iter()
            .map(|f| SpecFieldView {
                key: f.key,
                label: f.label,
                unit: f.unit,
            })
            .collect(),
        created_at: t.created_at,
        updated_at: t.updated_at,
    }
}

fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    key.len() <= 40
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Validates a template request (every problem at once, 422).
fn input(b: SpecTemplateRequest) -> ApiResult<SpecTemplateInput> {
    let mut errors = FieldErrors::new();
    let category = errors.check("category", text::name(&b.category, 80));
    if b.fields.len() > MAX_FIELDS {
        errors.add(
            "fields",
            FieldError::new("too_many_items").with("max", MAX_FIELDS),
        );
    }
    let mut seen = HashSet::new();
    let mut fields = Vec::new();
    for (i, field) in b.fields.iter().take(MAX_FIELDS).enumerate() {
        let key = field.key.trim();
        if !valid_key(key) {
            errors.add(&format!("fields[{i}].key"), FieldError::new("invalid_key"));
        } else if !seen.insert(key.to_owned()) {
            errors.add(
                &format!("fields[{i}].key"),
                FieldError::new("duplicate_key"),
            );
        }
        let label = errors.check(&format!("fields[{i}].label"), text::name(&field.label, 80));
        let unit = errors
            .check(
                &format!("fields[{i}].unit"),
                text::optional_text(field.unit.as_deref(), 20),
            )
            .flatten();
        if let Some(label) = label {
            fields.push(SpecField {
                key: key.to_owned(),
                label,
                unit,
            });
        }
    }
    errors.clone().into_result()?;
    let Some(category) = category else {
        return Err(ApiError::fields(&errors));
    };
    Ok(SpecTemplateInput { category, fields })
}

#[OpenApi(prefix_path = "/spec-templates", tag = "ApiTags::Equipment")]
impl SpecTemplatesApi {
    /// List specification templates
    ///
    /// By category; `category` picks one (case aside). Equipment pages show an equipment's
    /// specifications through its category's template: labels, units and order.
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        category: Query<Option<String>>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<SpecTemplatePage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentRead)?;
        let category = search(category.0);
        let page = spec_templates::list(
            &mut ctx.tx,
            category.as_deref(),
            page_request(page.0, per_page.0),
        )
        .await?;
        ctx.commit().await?;
        Ok(Json(SpecTemplatePage::from_page(page, describe)))
    }

    /// Get a specification template
    #[oai(path = "/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<SpecTemplate>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentRead)?;
        let template = spec_templates::get(&mut ctx.tx, id.0).await?;
        ctx.commit().await?;
        Ok(Json(describe(template)))
    }

    /// Create a specification template (administrators)
    ///
    /// 409 `category_taken` when the category has one already; fields: 50 at most, keys
    /// unique (`duplicate_key`) and well formed (`invalid_key`).
    #[oai(path = "/", method = "post")]
    async fn create(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<SpecTemplateRequest>,
    ) -> ApiResult<Created<SpecTemplate>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentManage)?;
        let input = input(body.0)?;
        let template = spec_templates::create(&mut ctx.tx, input).await?;
        ctx.commit().await?;
        Ok(Created::Created(Json(describe(template))))
    }

    /// Replace a specification template (administrators)
    #[oai(path = "/:id", method = "put")]
    async fn replace(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<SpecTemplateRequest>,
    ) -> ApiResult<Json<SpecTemplate>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentManage)?;
        let input = input(body.0)?;
        let template = spec_templates::update(&mut ctx.tx, id.0, input).await?;
        ctx.commit().await?;
        Ok(Json(describe(template)))
    }

    /// Delete a specification template (administrators)
    ///
    /// Equipment keeps its specifications, shown under their keys again.
    #[oai(path = "/:id", method = "delete")]
    async fn delete(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentManage)?;
        spec_templates::delete(&mut ctx.tx, id.0).await?;
        ctx.commit().await?;
        Ok(NoContent::NoContent)
    }
}
