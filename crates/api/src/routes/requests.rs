//! Work requests (demandes d'intervention): anyone reports a failure; supervisors approve it
//! into a work order or reject it; the requester follows it.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use gmao_db::attachments::Owner;
use gmao_db::work_orders::ChecklistItemInput;
use gmao_db::work_requests::{
    self, Approval, NewWorkRequest, RequestFilter, WorkRequest as DbRequest,
};
use gmao_db::{Sort, equipment};
use gmao_domain::maintenance;
use gmao_domain::work_order::WorkOrderStatus as DomainOrderStatus;
use gmao_domain::{FieldError, FieldErrors, Permission, text};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Binary, Json, Response};
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::files::{self, AttachmentInfo, AttachmentList, UploadBody};
use super::vocabulary::{
    Priority, RequestProgress, Urgency, WorkOrderStatus, WorkOrderType, WorkRequestStatus,
};
use super::work_orders::{NewChecklistItem, WorkOrder, checklist_input, describe, estimated};
use super::{ApiTags, Created, NoContent, page_of, page_request, search, sort_param};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct RequestsApi;

/// A failure report and what became of it.
#[derive(Debug, Object)]
pub struct WorkRequest {
    pub id: Uuid,
    /// `DI-2026-00007`.
    pub number: String,
    pub equipment_id: Uuid,
    pub equipment_code: String,
    pub equipment_name: String,
    pub site_id: Uuid,
    pub title: String,
    #[oai(nullable)]
    pub description: Option<String>,
    pub urgency: Urgency,
    pub production_stopped: bool,
    pub status: WorkRequestStatus,
    /// Absent for a request made on the public portal (`anonymous`).
    #[oai(nullable)]
    pub requested_by: Option<Uuid>,
    #[oai(nullable)]
    pub requested_by_name: Option<String>,
    /// Reported on the public request portal, without an account.
    pub anonymous: bool,
    /// The name and contact the author of a portal request chose to give.
    #[oai(nullable)]
    pub reporter_name: Option<String>,
    #[oai(nullable)]
    pub reporter_contact: Option<String>,
    #[oai(nullable)]
    pub decided_by: Option<Uuid>,
    #[oai(nullable)]
    pub decided_by_name: Option<String>,
    #[oai(nullable)]
    pub decided_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub rejection_reason: Option<String>,
    /// The work order it became, and where that stands.
    #[oai(nullable)]
    pub work_order_id: Option<Uuid>,
    #[oai(nullable)]
    pub work_order_number: Option<String>,
    #[oai(nullable)]
    pub work_order_status: Option<WorkOrderStatus>,
    /// Where it stands, in one line for the requester: the decision, then the order's progress.
    pub progress: RequestProgress,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<DbRequest> for WorkRequest {
    fn from(r: DbRequest) -> Self {
        WorkRequest {
            id: r.id,
            number: r.number,
            equipment_id: r.equipment_id,
            equipment_code: r.equipment_code,
            equipment_name: r.equipment_name,
            site_id: r.site_id,
            title: r.title,
            description: r.description,
            urgency: Urgency::stored(&r.urgency),
            production_stopped: r.production_stopped,
            status: WorkRequestStatus::stored(&r.status),
            anonymous: r.requested_by.is_none(),
            requested_by: r.requested_by,
            requested_by_name: r.requested_by_name,
            reporter_name: r.reporter_name,
            reporter_contact: r.reporter_contact,
            decided_by: r.decided_by,
            decided_by_name: r.decided_by_name,
            decided_at: r.decided_at,
            rejection_reason: r.rejection_reason,
            work_order_id: r.work_order_id,
            work_order_number: r.work_order_number,
            work_order_status: r.work_order_status.as_deref().map(WorkOrderStatus::stored),
            progress: RequestProgress::from(maintenance::RequestProgress::of(
                maintenance::WorkRequestStatus::parse(&r.status)
                    .unwrap_or(maintenance::WorkRequestStatus::Submitted),
                r.work_order_status
                    .as_deref()
                    .and_then(DomainOrderStatus::parse),
            )),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

page_of!(WorkRequestPage, WorkRequest, "A page of work requests.");

#[derive(Debug, Object)]
pub struct NewRequest {
    pub equipment_id: Uuid,
    /// What is wrong, in a few words.
    pub title: String,
    #[oai(nullable)]
    pub description: Option<String>,
    /// Default `normal`.
    #[oai(nullable)]
    pub urgency: Option<Urgency>,
    /// The failure stops production: the equipment is marked `broken` at once.
    #[oai(nullable)]
    pub production_stopped: Option<bool>,
}

#[derive(Debug, Object, Default)]
pub struct ApproveRequest {
    /// Default: from the request's urgency.
    #[oai(nullable)]
    pub priority: Option<Priority>,
    /// Technicians to assign now (the order starts `assigned`).
    #[oai(nullable)]
    pub assignee_ids: Option<Vec<Uuid>>,
    #[oai(nullable)]
    pub due_at: Option<DateTime<Utc>>,
    /// Default `corrective`.
    #[oai(rename = "type")]
    #[oai(nullable)]
    pub kind: Option<WorkOrderType>,
    #[oai(nullable)]
    pub estimated_minutes: Option<i32>,
    /// Steps for the technician, as on a new work order.
    #[oai(nullable)]
    pub checklist: Option<Vec<NewChecklistItem>>,
}

#[derive(Debug, Object)]
pub struct RejectRequest {
    pub reason: String,
}

#[derive(Debug, Object)]
pub struct ApprovedRequest {
    pub work_order_id: Uuid,
    pub request: WorkRequest,
    pub work_order: WorkOrder,
}

/// The request, when the caller may see it: in their scope, and theirs unless they may read all.
async fn visible(ctx: &mut Ctx, id: Uuid) -> ApiResult<DbRequest> {
    let scope = ctx.principal.site_scope.clone();
    let request = work_requests::get(&mut ctx.tx, scope.as_deref(), id).await?;
    if !ctx.principal.can(Permission::RequestsRead)
        && !ctx.principal.can(Permission::RequestsApprove)
        && request.requested_by != Some(ctx.principal.user_id)
    {
        return Err(ApiError::not_found());
    }
    Ok(request)
}

/// The request's id when the caller may add or remove its photos: its author, or a supervisor.
async fn may_attach(ctx: &mut Ctx, id: Uuid) -> ApiResult<Uuid> {
    let request = visible(ctx, id).await?;
    if request.requested_by != Some(ctx.principal.user_id) {
        ctx.require(Permission::RequestsApprove)?;
    }
    Ok(request.id)
}

fn reason(raw: &str) -> ApiResult<String> {
    text::name(raw, 1000).map_err(|e| ApiError::field("reason", e))
}

#[OpenApi(prefix_path = "/requests", tag = "ApiTags::Requests")]
impl RequestsApi {
    /// List work requests
    ///
    /// Members without `requests:read` see only their own.
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        status: Query<Option<WorkRequestStatus>>,
        urgency: Query<Option<Urgency>>,
        site_id: Query<Option<Uuid>>,
        equipment_id: Query<Option<Uuid>>,
        /// Only the caller's own requests.
        mine: Query<Option<bool>>,
        production_stopped: Query<Option<bool>>,
        created_from: Query<Option<DateTime<Utc>>>,
        created_to: Query<Option<DateTime<Utc>>>,
        /// Searches number, title and equipment.
        q: Query<Option<String>>,
        /// `number`, `urgency`, `status` or `created_at`; `-` for descending. Default `-created_at`.
        sort: Query<Option<String>>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<WorkRequestPage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let reads_all = ctx.principal.can(Permission::RequestsRead)
            || ctx.principal.can(Permission::RequestsApprove);
        if !reads_all && !ctx.principal.can(Permission::RequestsCreate) {
            ctx.require(Permission::RequestsRead)?;
        }
        let only_mine = mine.0.unwrap_or(false) || !reads_all;
        let filter = RequestFilter {
            status: status.0.map(|s| s.as_str().to_owned()),
            urgency: urgency.0.map(|u| u.as_str().to_owned()),
            site_id: site_id.0,
            equipment_id: equipment_id.0,
            requested_by: only_mine.then_some(ctx.principal.user_id),
            production_stopped: production_stopped.0,
            created_from: created_from.0,
            created_to: created_to.0,
            q: search(q.0),
            sort: Some(sort_param(
                sort.0.as_deref(),
                work_requests::SORT_KEYS,
                Sort {
                    key: "created_at",
                    descending: true,
                },
            )?),
        };
        let scope = ctx.principal.site_scope.clone();
        let page = work_requests::list(
            &mut ctx.tx,
            scope.as_deref(),
            &filter,
            page_request(page.0, per_page.0),
        )
        .await?;
        ctx.commit().await?;
        Ok(Json(WorkRequestPage::from_page(page, WorkRequest::from)))
    }

    /// Report a failure
    #[oai(path = "/", method = "post")]
    async fn create(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<NewRequest>,
    ) -> ApiResult<Created<WorkRequest>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::RequestsCreate)?;
        let b = body.0;
        let mut errors = FieldErrors::new();
        let title = errors.check("title", text::name(&b.title, 200));
        let description = errors.check(
            "description",
            text::optional_text(b.description.as_deref(), 5000),
        );
        let scope = ctx.principal.site_scope.clone();
        let equipment = match equipment::get(&mut ctx.tx, scope.as_deref(), b.equipment_id).await {
            Ok(e) if e.archived_at.is_none() => Some(e),
            Ok(_) | Err(gmao_db::Error::NotFound) => {
                errors.add("equipment_id", FieldError::new("unknown_equipment"));
                None
            }
            Err(other) => return Err(other.into()),
        };
        errors.clone().into_result()?;
        let (Some(title), Some(description), Some(equipment)) = (title, description, equipment)
        else {
            return Err(ApiError::fields(&errors));
        };
        let created = work_requests::create(
            &mut ctx.tx,
            NewWorkRequest {
                equipment_id: equipment.id,
                site_id: equipment.site_id,
                title,
                description,
                urgency: b.urgency.unwrap_or(Urgency::Normal).into(),
                production_stopped: b.production_stopped.unwrap_or(false),
                requested_by: Some(ctx.principal.user_id),
                reporter_name: None,
                reporter_contact: None,
            },
        )
        .await?;
        ctx.commit().await?;
        Ok(Created::Created(Json(created.into())))
    }

    /// Get a work request
    #[oai(path = "/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<WorkRequest>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let request = visible(&mut ctx, id.0).await?;
        ctx.commit().await?;
        Ok(Json(request.into()))
    }

    /// Approve a request into a work order
    ///
    /// Creates the work order (title, description and photos carried over), links both, and
    /// answers with `work_order_id`. 409 `request_already_decided` when it was approved or
    /// rejected already.
    #[oai(path = "/:id/approve", method = "post")]
    async fn approve(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<ApproveRequest>,
    ) -> ApiResult<Json<ApprovedRequest>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::RequestsApprove)?;
        let b = body.0;
        if b.assignee_ids.as_ref().is_some_and(|a| !a.is_empty()) {
            ctx.require(Permission::WorkOrdersManage)?;
        }
        let mut errors = FieldErrors::new();
        let estimated_minutes = estimated(&mut errors, b.estimated_minutes);
        let checklist: Vec<ChecklistItemInput> = b
            .checklist
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter_map(|(i, item)| checklist_input(&mut errors, i, item))
            .collect();
        errors.into_result()?;
        let scope = ctx.principal.site_scope.clone();
        let (request, order) = work_requests::approve(
            &mut ctx.tx,
            scope.as_deref(),
            id.0,
            Approval {
                priority: b.priority.map(|p| p.as_str().to_owned()),
                assignee_ids: b.assignee_ids.unwrap_or_default(),
                due_at: b.due_at,
                kind: b.kind.map(Into::into),
                estimated_minutes,
                checklist,
            },
        )
        .await?;
        let order = describe(&ctx, order);
        ctx.commit().await?;
        Ok(Json(ApprovedRequest {
            work_order_id: order.id,
            request: request.into(),
            work_order: order,
        }))
    }

    /// Reject a request
    #[oai(path = "/:id/reject", method = "post")]
    async fn reject(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<RejectRequest>,
    ) -> ApiResult<Json<WorkRequest>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::RequestsApprove)?;
        let reason = reason(&body.reason)?;
        let scope = ctx.principal.site_scope.clone();
        let request = work_requests::reject(&mut ctx.tx, scope.as_deref(), id.0, &reason).await?;
        ctx.commit().await?;
        Ok(Json(request.into()))
    }

    /// Photos of a request
    #[oai(path = "/:id/attachments", method = "get")]
    async fn attachments(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<AttachmentList>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let request = visible(&mut ctx, id.0).await?;
        let list = gmao_db::attachments::list(&mut ctx.tx, Owner::WorkRequest, request.id).await?;
        ctx.commit().await?;
        let base = format!("/requests/{}", request.id);
        Ok(Json(AttachmentList::all(
            list.into_iter().map(|a| files::info(a, &base)).collect(),
        )))
    }

    /// Attach a photo to a request
    ///
    /// By its author or a supervisor. Multipart upload of one `file` (a photo or a PDF).
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
        // recorded.
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        may_attach(&mut ctx, id.0).await?;
        let tenant = ctx.principal.tenant_id.0;
        ctx.commit().await?;
        let file = files::receive(&state, tenant, body).await?;
        let saved = async {
            let mut ctx = Ctx::open(&state, &auth, req).await?;
            let request = may_attach(&mut ctx, id.0).await?;
            let attachment = files::record(&mut ctx.tx, Owner::WorkRequest, request, &file).await?;
            ctx.commit().await?;
            Ok(attachment)
        }
        .await;
        let attachment = files::kept(&state, file, saved).await?;
        Ok(Created::Created(Json(files::info(
            attachment,
            &format!("/requests/{}", id.0),
        ))))
    }

    /// Download a photo of a request
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
        let request = visible(&mut ctx, id.0).await?;
        let attachment =
            files::find(&mut ctx, Owner::WorkRequest, request.id, attachment_id.0).await?;
        ctx.commit().await?;
        files::send(&state, attachment).await
    }

    /// Remove a photo of a request
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
        let request = may_attach(&mut ctx, id.0).await?;
        let key = files::remove(&mut ctx, Owner::WorkRequest, request, attachment_id.0).await?;
        ctx.commit().await?;
        files::forget(&state, key).await;
        Ok(NoContent::NoContent)
    }
}
