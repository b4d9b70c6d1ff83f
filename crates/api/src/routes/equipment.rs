//! The equipment registry.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use gmao_db::Sort;
use gmao_db::attachments::Owner;
use gmao_db::equipment::{
    self, Equipment as DbEquipment, EquipmentFilter, EquipmentInput, StatusCause,
};
use gmao_db::meters::{self, MeterInput};
use gmao_domain::maintenance as domain;
use gmao_domain::{FieldError, FieldErrors, Permission, text};
use gmao_kpi::export::rows::Value as Cell;
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Binary, Json, PlainText, Response};
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use serde_json::Value;
use uuid::Uuid;

use super::exports::{self, ListFormat};
use super::files::{self, AttachmentInfo, AttachmentList, UploadBody};
use super::meters::Meter;
use super::vocabulary::{Criticality, EquipmentStatus};
use super::{ApiTags, Created, NoContent, page_of, page_request, search, sort_param};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct EquipmentApi;

/// A piece of equipment (machine, component, installation) and where it stands.
#[derive(Debug, Object)]
pub struct Equipment {
    pub id: Uuid,
    /// Unique in the company, upper-case (`POMPE-12`).
    pub code: String,
    pub name: String,
    #[oai(nullable)]
    pub category: Option<String>,
    #[oai(nullable)]
    pub manufacturer: Option<String>,
    #[oai(nullable)]
    pub model: Option<String>,
    /// Unique in the company when set.
    #[oai(nullable)]
    pub serial_number: Option<String>,
    #[oai(nullable)]
    pub purchase_date: Option<NaiveDate>,
    #[oai(nullable)]
    pub installation_date: Option<NaiveDate>,
    #[oai(nullable)]
    pub warranty_end: Option<NaiveDate>,
    pub criticality: Criticality,
    pub status: EquipmentStatus,
    pub site_id: Uuid,
    pub site_name: String,
    #[oai(nullable)]
    pub plant_id: Option<Uuid>,
    #[oai(nullable)]
    pub plant_name: Option<String>,
    #[oai(nullable)]
    pub production_line_id: Option<Uuid>,
    #[oai(nullable)]
    pub production_line_name: Option<String>,
    /// The equipment this one is a component of.
    #[oai(nullable)]
    pub parent_id: Option<Uuid>,
    #[oai(nullable)]
    pub parent_code: Option<String>,
    /// Free characteristics: `{"power_kw": 15, "voltage": "400 V"}`.
    pub specifications: Value,
    #[oai(nullable)]
    pub notes: Option<String>,
    /// Archived equipment keeps its history but leaves lists and pickers.
    #[oai(nullable)]
    pub archived_at: Option<DateTime<Utc>>,
    /// Work orders not yet completed on it.
    pub open_work_orders: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<DbEquipment> for Equipment {
    fn from(e: DbEquipment) -> Self {
        Equipment {
            id: e.id,
            code: e.code,
            name: e.name,
            category: e.category,
            manufacturer: e.manufacturer,
            model: e.model,
            serial_number: e.serial_number,
            purchase_date: e.purchase_date,
            installation_date: e.installation_date,
            warranty_end: e.warranty_end,
            criticality: Criticality::stored(&e.criticality),
            status: EquipmentStatus::stored(&e.status),
            site_id: e.site_id,
            site_name: e.site_name,
            plant_id: e.plant_id,
            plant_name: e.plant_name,
            production_line_id: e.production_line_id,
            production_line_name: e.production_line_name,
            parent_id: e.parent_id,
            parent_code: e.parent_code,
            specifications: e.specifications,
            notes: e.notes,
            archived_at: e.archived_at,
            open_work_orders: e.open_work_orders,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

page_of!(EquipmentPage, Equipment, "A page of equipment.");

#[derive(Debug, Object)]
pub struct NewEquipment {
    pub code: String,
    pub name: String,
    #[oai(nullable)]
    pub category: Option<String>,
    #[oai(nullable)]
    pub manufacturer: Option<String>,
    #[oai(nullable)]
    pub model: Option<String>,
    #[oai(nullable)]
    pub serial_number: Option<String>,
    #[oai(nullable)]
    pub purchase_date: Option<NaiveDate>,
    #[oai(nullable)]
    pub installation_date: Option<NaiveDate>,
    #[oai(nullable)]
    pub warranty_end: Option<NaiveDate>,
    /// Default `medium`.
    #[oai(nullable)]
    pub criticality: Option<Criticality>,
    /// Where it stands: its production line, or its plant, or its site (the most precise known).
    #[oai(nullable)]
    pub production_line_id: Option<Uuid>,
    #[oai(nullable)]
    pub plant_id: Option<Uuid>,
    #[oai(nullable)]
    pub site_id: Option<Uuid>,
    #[oai(nullable)]
    pub parent_id: Option<Uuid>,
    #[oai(nullable)]
    pub specifications: Option<Value>,
    #[oai(nullable)]
    pub notes: Option<String>,
}

#[derive(Debug, Object)]
pub struct EquipmentUpdate {
    pub code: Option<String>,
    pub name: Option<String>,
    #[oai(nullable)]
    pub category: MaybeUndefined<String>,
    #[oai(nullable)]
    pub manufacturer: MaybeUndefined<String>,
    #[oai(nullable)]
    pub model: MaybeUndefined<String>,
    #[oai(nullable)]
    pub serial_number: MaybeUndefined<String>,
    #[oai(nullable)]
    pub purchase_date: MaybeUndefined<NaiveDate>,
    #[oai(nullable)]
    pub installation_date: MaybeUndefined<NaiveDate>,
    #[oai(nullable)]
    pub warranty_end: MaybeUndefined<NaiveDate>,
    pub criticality: Option<Criticality>,
    /// Giving any of these moves the equipment: the most precise one given wins.
    pub production_line_id: Option<Uuid>,
    pub plant_id: Option<Uuid>,
    pub site_id: Option<Uuid>,
    #[oai(nullable)]
    pub parent_id: MaybeUndefined<Uuid>,
    pub specifications: Option<Value>,
    #[oai(nullable)]
    pub notes: MaybeUndefined<String>,
}

#[derive(Debug, Object)]
pub struct StatusChangeRequest {
    pub status: EquipmentStatus,
    #[oai(nullable)]
    pub reason: Option<String>,
}

#[derive(Debug, Object)]
pub struct StatusChange {
    pub id: Uuid,
    #[oai(nullable)]
    pub from_status: Option<EquipmentStatus>,
    pub to_status: EquipmentStatus,
    #[oai(nullable)]
    pub reason: Option<String>,
    #[oai(nullable)]
    pub work_request_id: Option<Uuid>,
    #[oai(nullable)]
    pub work_order_id: Option<Uuid>,
    #[oai(nullable)]
    pub changed_by: Option<Uuid>,
    #[oai(nullable)]
    pub changed_by_name: Option<String>,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Object)]
pub struct NewMeter {
    /// `Heures de marche`, `Cycles`…
    pub name: String,
    /// `h`, `cycles`, `km`, `°C`…
    pub unit: String,
    /// A cumulative meter only goes up (default true); a gauge may go either way.
    #[oai(nullable)]
    pub cumulative: Option<bool>,
}

page_of!(CategoryList, String, "Equipment categories in use.");
page_of!(
    StatusChangeList,
    StatusChange,
    "The status history of equipment, newest first."
);
page_of!(MeterList, Meter, "The meters of equipment.");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "lowercase")]
pub enum QrFormat {
    Svg,
    Png,
}

#[derive(ApiResponse)]
pub enum QrCode {
    /// An SVG image.
    #[oai(status = 200, content_type = "image/svg+xml")]
    Svg(PlainText<String>),
    /// A PNG image.
    #[oai(status = 200, content_type = "image/png")]
    Png(Binary<Vec<u8>>),
}

/// Validates the specification map: an object of at most 50 short keys with scalar values.
fn specifications(value: Option<Value>) -> Result<Value, FieldError> {
    let value = value.unwrap_or(Value::Object(Default::default()));
    let Value::Object(map) = &value else {
        return Err(FieldError::new("invalid_specifications"));
    };
    let valid = map.len() <= 50
        && map.iter().all(|(k, v)| {
            !k.trim().is_empty()
                && k.chars().count() <= 80
                && match v {
                    Value::String(s) => s.chars().count() <= 500,
                    Value::Number(_) | Value::Bool(_) | Value::Null => true,
                    _ => false,
                }
        });
    if valid {
        Ok(value)
    } else {
        Err(FieldError::new("invalid_specifications"))
    }
}

fn optional(
    errors: &mut FieldErrors,
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Option<String> {
    errors.check(field, text::optional_text(raw, max)).flatten()
}

/// The unresolved fields of an input, once validated.
struct Draft {
    code: String,
    name: String,
    category: Option<String>,
    manufacturer: Option<String>,
    model: Option<String>,
    serial_number: Option<String>,
    purchase_date: Option<NaiveDate>,
    installation_date: Option<NaiveDate>,
    warranty_end: Option<NaiveDate>,
    criticality: Criticality,
    parent_id: Option<Uuid>,
    specifications: Value,
    notes: Option<String>,
}

impl Draft {
    fn into_input(self, location: equipment::Location) -> EquipmentInput {
        EquipmentInput {
            code: self.code,
            name: self.name,
            category: self.category,
            manufacturer: self.manufacturer,
            model: self.model,
            serial_number: self.serial_number,
            purchase_date: self.purchase_date,
            installation_date: self.installation_date,
            warranty_end: self.warranty_end,
            criticality: self.criticality.as_str().to_owned(),
            location,
            parent_id: self.parent_id,
            specifications: self.specifications,
            notes: self.notes,
        }
    }
}

fn check_dates(errors: &mut FieldErrors, d: &Draft) {
    if let (Some(purchase), Some(installed)) = (d.purchase_date, d.installation_date)
        && installed < purchase
    {
        errors.add("installation_date", FieldError::new("before_purchase_date"));
    }
}

/// Loads equipment visible to the caller, for the nested endpoints.
async fn visible(ctx: &mut Ctx, id: Uuid) -> ApiResult<DbEquipment> {
    let scope = ctx.principal.site_scope.clone();
    Ok(equipment::get(&mut ctx.tx, scope.as_deref(), id).await?)
}

/// The filter of the list and of its export.
#[allow(clippy::too_many_arguments)]
fn list_filter(
    site_id: Option<Uuid>,
    plant_id: Option<Uuid>,
    production_line_id: Option<Uuid>,
    parent_id: Option<Uuid>,
    status: Option<EquipmentStatus>,
    criticality: Option<Criticality>,
    category: Option<String>,
    q: Option<String>,
    include_archived: Option<bool>,
) -> EquipmentFilter {
    EquipmentFilter {
        site_id,
        plant_id,
        production_line_id,
        parent_id,
        status: status.map(|s| s.as_str().to_owned()),
        criticality: criticality.map(|c| c.as_str().to_owned()),
        category: search(category),
        q: search(q),
        include_archived: include_archived.unwrap_or(false),
        sort: None,
    }
}

/// The columns of an equipment export, in order.
const EXPORT_COLUMNS: &[&str] = &[
    "id",
    "code",
    "name",
    "category",
    "manufacturer",
    "model",
    "serial_number",
    "criticality",
    "status",
    "site",
    "plant",
    "production_line",
    "parent_code",
    "purchase_date",
    "installation_date",
    "warranty_end",
    "open_work_orders",
    "archived_at",
    "created_at",
];

fn read_batch<'a>(
    tx: &'a mut gmao_db::TenantTx,
    (filter, scope): &'a (EquipmentFilter, Option<Vec<Uuid>>),
    after: Option<exports::Cursor>,
) -> futures::future::BoxFuture<'a, gmao_db::Result<Vec<equipment::Equipment>>> {
    Box::pin(equipment::export_batch(
        tx,
        scope.as_deref(),
        filter,
        after,
        exports::BATCH,
    ))
}

fn export_row(e: equipment::Equipment) -> Vec<Cell> {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).into();
    vec![
        Cell::Text(e.id.to_string()),
        e.code.into(),
        e.name.into(),
        e.category.into(),
        e.manufacturer.into(),
        e.model.into(),
        e.serial_number.into(),
        e.criticality.into(),
        e.status.into(),
        e.site_name.into(),
        e.plant_name.into(),
        e.production_line_name.into(),
        e.parent_code.into(),
        date(e.purchase_date),
        date(e.installation_date),
        date(e.warranty_end),
        e.open_work_orders.into(),
        e.archived_at.into(),
        e.created_at.into(),
    ]
}

#[OpenApi(prefix_path = "/equipment", tag = "ApiTags::Equipment")]
impl EquipmentApi {
    /// List equipment
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        site_id: Query<Option<Uuid>>,
        plant_id: Query<Option<Uuid>>,
        production_line_id: Query<Option<Uuid>>,
        /// Components of this equipment.
        parent_id: Query<Option<Uuid>>,
        status: Query<Option<EquipmentStatus>>,
        criticality: Query<Option<Criticality>>,
        category: Query<Option<String>>,
        /// Searches code, name and serial number.
        q: Query<Option<String>>,
        /// Include archived equipment (default false).
        include_archived: Query<Option<bool>>,
        /// `code`, `name`, `criticality`, `status` or `created_at`; `-` for descending. Default `code`.
        sort: Query<Option<String>>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<EquipmentPage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentRead)?;
        let mut filter = list_filter(
            site_id.0,
            plant_id.0,
            production_line_id.0,
            parent_id.0,
            status.0,
            criticality.0,
            category.0,
            q.0,
            include_archived.0,
        );
        filter.sort = Some(sort_param(
            sort.0.as_deref(),
            equipment::SORT_KEYS,
            Sort::asc("code"),
        )?);
        let scope = ctx.principal.site_scope.clone();
        let page = equipment::list(
            &mut ctx.tx,
            scope.as_deref(),
            &filter,
            page_request(page.0, per_page.0),
        )
        .await?;
        ctx.commit().await?;
        Ok(Json(EquipmentPage::from_page(page, Equipment::from)))
    }

    /// Export equipment
    ///
    /// Every piece of equipment of the list's filters, oldest first, as CSV or XLSX, streamed
    /// in constant memory; dates as `YYYY-MM-DD`, instants in RFC 3339 (UTC). Text a
    /// spreadsheet would run as a formula starts with `'`.
    #[oai(path = "/export", method = "get")]
    async fn export(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        format: Query<ListFormat>,
        site_id: Query<Option<Uuid>>,
        plant_id: Query<Option<Uuid>>,
        production_line_id: Query<Option<Uuid>>,
        /// Components of this equipment.
        parent_id: Query<Option<Uuid>>,
        status: Query<Option<EquipmentStatus>>,
        criticality: Query<Option<Criticality>>,
        category: Query<Option<String>>,
        /// Searches code, name and serial number.
        q: Query<Option<String>>,
        /// Include archived equipment (default false).
        include_archived: Query<Option<bool>>,
    ) -> ApiResult<Response<Binary<poem::Body>>> {
        let ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentRead)?;
        let filter = list_filter(
            site_id.0,
            plant_id.0,
            production_line_id.0,
            parent_id.0,
            status.0,
            criticality.0,
            category.0,
            q.0,
            include_archived.0,
        );
        let tenant = ctx.tx.tenant_id();
        let actor = gmao_db::Actor::user(ctx.principal.user_id, None);
        let scope = ctx.principal.site_scope.clone();
        ctx.commit().await?;
        let fetch = exports::fetcher(
            state.pool.clone(),
            tenant,
            actor,
            (filter, scope),
            read_batch,
            |r| (r.created_at, r.id),
            export_row,
        );
        exports::respond_with(
            &state,
            exports::Export {
                file_stem: "equipment",
                sheet: "Equipment",
                columns: EXPORT_COLUMNS,
                fetch,
            },
            format.0,
        )
        .await
    }

    /// Categories in use, for pickers
    #[oai(path = "/categories", method = "get")]
    async fn categories(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
    ) -> ApiResult<Json<CategoryList>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentRead)?;
        let categories = equipment::categories(&mut ctx.tx).await?;
        ctx.commit().await?;
        Ok(Json(CategoryList::all(categories)))
    }

    /// Register equipment
    #[oai(path = "/", method = "post")]
    async fn create(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<NewEquipment>,
    ) -> ApiResult<Created<Equipment>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentManage)?;
        let b = body.0;
        let mut errors = FieldErrors::new();
        let code = errors.check("code", text::code(&b.code));
        let name = errors.check("name", text::name(&b.name, 120));
        let draft = Draft {
            code: code.unwrap_or_default(),
            name: name.unwrap_or_default(),
            category: optional(&mut errors, "category", b.category.as_deref(), 80),
            manufacturer: optional(&mut errors, "manufacturer", b.manufacturer.as_deref(), 120),
            model: optional(&mut errors, "model", b.model.as_deref(), 120),
            serial_number: optional(&mut errors, "serial_number", b.serial_number.as_deref(), 80),
            purchase_date: b.purchase_date,
            installation_date: b.installation_date,
            warranty_end: b.warranty_end,
            criticality: b.criticality.unwrap_or(Criticality::Medium),
            parent_id: b.parent_id,
            specifications: errors
                .check("specifications", specifications(b.specifications))
                .unwrap_or_default(),
            notes: optional(&mut errors, "notes", b.notes.as_deref(), 5000),
        };
        check_dates(&mut errors, &draft);
        errors.into_result()?;
        let scope = ctx.principal.site_scope.clone();
        let location = equipment::resolve_location(
            &mut ctx.tx,
            scope.as_deref(),
            b.site_id,
            b.plant_id,
            b.production_line_id,
        )
        .await?;
        let created = equipment::create(
            &mut ctx.tx,
            draft.into_input(location),
            domain::EquipmentStatus::Active,
        )
        .await?;
        ctx.commit().await?;
        Ok(Created::Created(Json(created.into())))
    }

    /// Get equipment
    #[oai(path = "/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Equipment>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentRead)?;
        let found = visible(&mut ctx, id.0).await?;
        ctx.commit().await?;
        Ok(Json(found.into()))
    }

    /// Change equipment
    #[oai(path = "/:id", method = "patch")]
    async fn update(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<EquipmentUpdate>,
    ) -> ApiResult<Json<Equipment>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentManage)?;
        let scope = ctx.principal.site_scope.clone();
        let before = equipment::get_for_update(&mut ctx.tx, scope.as_deref(), id.0).await?;
        let b = body.0;
        let mut errors = FieldErrors::new();
        let text_field = |field: &str,
                          patch: MaybeUndefined<String>,
                          current: &Option<String>,
                          max: usize,
                          errors: &mut FieldErrors| match patch {
            MaybeUndefined::Undefined => current.clone(),
            MaybeUndefined::Null => None,
            MaybeUndefined::Value(v) => optional(errors, field, Some(&v), max),
        };
        let date = |patch: MaybeUndefined<NaiveDate>, current: Option<NaiveDate>| match patch {
            MaybeUndefined::Undefined => current,
            MaybeUndefined::Null => None,
            MaybeUndefined::Value(v) => Some(v),
        };
        let draft = Draft {
            code: match &b.code {
                Some(c) => errors.check("code", text::code(c)).unwrap_or_default(),
                None => before.code.clone(),
            },
            name: match &b.name {
                Some(n) => errors.check("name", text::name(n, 120)).unwrap_or_default(),
                None => before.name.clone(),
            },
            category: text_field("category", b.category, &before.category, 80, &mut errors),
            manufacturer: text_field(
                "manufacturer",
                b.manufacturer,
                &before.manufacturer,
                120,
                &mut errors,
            ),
            model: text_field("model", b.model, &before.model, 120, &mut errors),
            serial_number: text_field(
                "serial_number",
                b.serial_number,
                &before.serial_number,
                80,
                &mut errors,
            ),
            purchase_date: date(b.purchase_date, before.purchase_date),
            installation_date: date(b.installation_date, before.installation_date),
            warranty_end: date(b.warranty_end, before.warranty_end),
            criticality: b
                .criticality
                .unwrap_or(Criticality::stored(&before.criticality)),
            parent_id: match b.parent_id {
                MaybeUndefined::Undefined => before.parent_id,
                MaybeUndefined::Null => None,
                MaybeUndefined::Value(p) => Some(p),
            },
            specifications: match b.specifications {
                Some(s) => errors
                    .check("specifications", specifications(Some(s)))
                    .unwrap_or_default(),
                None => before.specifications.clone(),
            },
            notes: text_field("notes", b.notes, &before.notes, 5000, &mut errors),
        };
        check_dates(&mut errors, &draft);
        errors.into_result()?;
        let moves = b.site_id.is_some() || b.plant_id.is_some() || b.production_line_id.is_some();
        let location = if moves {
            equipment::resolve_location(
                &mut ctx.tx,
                scope.as_deref(),
                b.site_id,
                b.plant_id,
                b.production_line_id,
            )
            .await?
        } else {
            equipment::Location {
                site_id: before.site_id,
                plant_id: before.plant_id,
                production_line_id: before.production_line_id,
            }
        };
        let updated = equipment::update(&mut ctx.tx, &before, draft.into_input(location)).await?;
        ctx.commit().await?;
        Ok(Json(updated.into()))
    }

    /// Delete equipment registered by mistake
    ///
    /// Only equipment without any history (orders, requests, meters, components, documents);
    /// otherwise 409 `has_history`: archive it instead.
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
        let scope = ctx.principal.site_scope.clone();
        equipment::delete(&mut ctx.tx, scope.as_deref(), id.0).await?;
        ctx.commit().await?;
        Ok(NoContent::NoContent)
    }

    /// Archive equipment
    ///
    /// It keeps its history and leaves lists. Refused while work on it is open (409
    /// `open_work_orders`) or it has active components (409 `has_children`).
    #[oai(path = "/:id/archive", method = "post")]
    async fn archive(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Equipment>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentManage)?;
        let scope = ctx.principal.site_scope.clone();
        let done = equipment::set_archived(&mut ctx.tx, scope.as_deref(), id.0, true).await?;
        ctx.commit().await?;
        Ok(Json(done.into()))
    }

    /// Restore archived equipment
    #[oai(path = "/:id/restore", method = "post")]
    async fn restore(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Equipment>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentManage)?;
        let scope = ctx.principal.site_scope.clone();
        let done = equipment::set_archived(&mut ctx.tx, scope.as_deref(), id.0, false).await?;
        ctx.commit().await?;
        Ok(Json(done.into()))
    }

    /// Change the status of equipment by hand
    #[oai(path = "/:id/status", method = "post")]
    async fn set_status(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<StatusChangeRequest>,
    ) -> ApiResult<Json<Equipment>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentManage)?;
        let found = visible(&mut ctx, id.0).await?;
        let reason = text::optional_text(body.reason.as_deref(), 500)
            .map_err(|e| ApiError::field("reason", e))?;
        equipment::set_status(
            &mut ctx.tx,
            found.id,
            body.status.into(),
            StatusCause {
                reason,
                ..Default::default()
            },
        )
        .await?;
        let after = equipment::get(&mut ctx.tx, None, found.id).await?;
        ctx.commit().await?;
        Ok(Json(after.into()))
    }

    /// The status history of equipment, newest first
    #[oai(path = "/:id/status-history", method = "get")]
    async fn status_history(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<StatusChangeList>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentRead)?;
        let found = visible(&mut ctx, id.0).await?;
        let history = equipment::status_history(&mut ctx.tx, found.id).await?;
        ctx.commit().await?;
        Ok(Json(StatusChangeList::all(
            history
                .into_iter()
                .map(|h| StatusChange {
                    id: h.id,
                    from_status: h.from_status.as_deref().map(EquipmentStatus::stored),
                    to_status: EquipmentStatus::stored(&h.to_status),
                    reason: h.reason,
                    work_request_id: h.work_request_id,
                    work_order_id: h.work_order_id,
                    changed_by: h.changed_by,
                    changed_by_name: h.changed_by_name,
                    changed_at: h.changed_at,
                })
                .collect(),
        )))
    }

    /// QR code of the equipment
    ///
    /// It encodes the address of the work request form for this equipment in the web app
    /// (`/equipment/{id}/request`, behind the login), or of the public portal
    /// (`/portal/{company}/equipment/{id}`, no account) when the equipment's site opens it:
    /// stick it on the machine and anyone can report a failure from their phone. `format=svg`
    /// (the default) answers `image/svg+xml`, `format=png` a 512-pixel `image/png`.
    #[oai(path = "/:id/qr-code", method = "get")]
    async fn qr_code(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        format: Query<Option<QrFormat>>,
    ) -> ApiResult<QrCode> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentRead)?;
        let found = visible(&mut ctx, id.0).await?;
        let site = gmao_db::sites::get(&mut ctx.tx, None, found.site_id).await?;
        let company = gmao_db::tenants::get(ctx.tx.conn(), ctx.principal.tenant_id).await?;
        ctx.commit().await?;
        let base = state.settings.public_url.trim_end_matches('/');
        // Where the site opens its portal, anyone who scans reports without an account;
        // otherwise the code leads to the request form behind the login.
        let url = if site.public_requests {
            format!("{base}/portal/{}/equipment/{}", company.slug, found.id)
        } else {
            format!("{base}/equipment/{}/request", found.id)
        };
        let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
            .map_err(ApiError::internal)?;
        match format.0.unwrap_or(QrFormat::Svg) {
            QrFormat::Svg => Ok(QrCode::Svg(PlainText(
                code.render::<qrcode::render::svg::Color<'_>>()
                    .min_dimensions(256, 256)
                    .quiet_zone(true)
                    .build(),
            ))),
            QrFormat::Png => {
                let image = code
                    .render::<image::Luma<u8>>()
                    .min_dimensions(512, 512)
                    .build();
                let mut png = Vec::new();
                image
                    .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
                    .map_err(ApiError::internal)?;
                Ok(QrCode::Png(Binary(png)))
            }
        }
    }

    /// Meters of the equipment
    #[oai(path = "/:id/meters", method = "get")]
    async fn meters(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<MeterList>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentRead)?;
        let found = visible(&mut ctx, id.0).await?;
        let list = meters::list_for(&mut ctx.tx, found.id).await?;
        ctx.commit().await?;
        Ok(Json(MeterList::all(
            list.into_iter().map(Meter::from).collect(),
        )))
    }

    /// Add a meter to the equipment
    #[oai(path = "/:id/meters", method = "post")]
    async fn add_meter(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<NewMeter>,
    ) -> ApiResult<Created<Meter>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentManage)?;
        let found = visible(&mut ctx, id.0).await?;
        if found.archived_at.is_some() {
            return Err(ApiError::conflict("equipment_archived"));
        }
        let mut errors = FieldErrors::new();
        let name = errors.check("name", text::name(&body.name, 80));
        let unit = errors.check("unit", text::name(&body.unit, 20));
        errors.clone().into_result()?;
        let (Some(name), Some(unit)) = (name, unit) else {
            return Err(ApiError::fields(&errors));
        };
        let meter = meters::create(
            &mut ctx.tx,
            found.id,
            MeterInput {
                name,
                unit,
                cumulative: body.cumulative.unwrap_or(true),
            },
        )
        .await?;
        ctx.commit().await?;
        Ok(Created::Created(Json(meter.into())))
    }

    /// Documents and photos of the equipment
    #[oai(path = "/:id/attachments", method = "get")]
    async fn attachments(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<AttachmentList>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentRead)?;
        let found = visible(&mut ctx, id.0).await?;
        let list = gmao_db::attachments::list(&mut ctx.tx, Owner::Equipment, found.id).await?;
        ctx.commit().await?;
        let base = format!("/equipment/{}", found.id);
        Ok(Json(AttachmentList::all(
            list.into_iter().map(|a| files::info(a, &base)).collect(),
        )))
    }

    /// Attach a document or photo to the equipment
    ///
    /// Multipart upload of one `file`: JPEG, PNG, WebP, GIF, HEIF, AVIF or PDF (415
    /// `unsupported_file_type` otherwise), within the upload size limit (413).
    #[oai(path = "/:id/attachments", method = "post")]
    async fn attach(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: UploadBody,
    ) -> ApiResult<Created<AttachmentInfo>> {
        // Who may attach is settled before the file is read, and checked again when it is
        // recorded (the equipment may have gone meanwhile).
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentManage)?;
        visible(&mut ctx, id.0).await?;
        let tenant = ctx.principal.tenant_id.0;
        ctx.commit().await?;
        let file = files::receive(&state, tenant, body).await?;
        let saved = async {
            let mut ctx = Ctx::open(&state, &auth, req).await?;
            ctx.require(Permission::EquipmentManage)?;
            let found = visible(&mut ctx, id.0).await?;
            let attachment = files::record(&mut ctx.tx, Owner::Equipment, found.id, &file).await?;
            ctx.commit().await?;
            Ok(attachment)
        }
        .await;
        let attachment = files::kept(&state, file, saved).await?;
        Ok(Created::Created(Json(files::info(
            attachment,
            &format!("/equipment/{}", id.0),
        ))))
    }

    /// Download a document or photo of the equipment
    #[oai(path = "/:id/attachments/:attachment_id", method = "get")]
    async fn download(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        attachment_id: Path<Uuid>,
    ) -> ApiResult<Response<Binary<Vec<u8>>>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentRead)?;
        let found = visible(&mut ctx, id.0).await?;
        let attachment = files::find(&mut ctx, Owner::Equipment, found.id, attachment_id.0).await?;
        ctx.commit().await?;
        files::send(&state, attachment).await
    }

    /// Remove a document or photo of the equipment
    #[oai(path = "/:id/attachments/:attachment_id", method = "delete")]
    async fn detach(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        attachment_id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentManage)?;
        let found = visible(&mut ctx, id.0).await?;
        let key = files::remove(&mut ctx, Owner::Equipment, found.id, attachment_id.0).await?;
        ctx.commit().await?;
        files::forget(&state, key).await;
        Ok(NoContent::NoContent)
    }
}
