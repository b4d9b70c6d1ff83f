//! The public request portal: on a site that opens it, whoever scans an equipment's QR code
//! reports a failure without an account (what they saw, a photo, optionally their name and how
//! to reach them). Nothing else of the company is readable here; a closed site, an archived
//! machine, a suspended company or an unknown one all answer the same 404.

use std::sync::Arc;

use gmao_db::attachments::Owner;
use gmao_db::throttle::Key;
use gmao_db::work_requests::{self, NewWorkRequest};
use gmao_db::{Actor, TenantTx, equipment, sites, tenants};
use gmao_domain::maintenance::Urgency;
use gmao_domain::{FieldErrors, TenantId, TenantStatus, text};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::types::multipart::Upload;
use poem_openapi::{Multipart, Object, OpenApi};
use uuid::Uuid;

use super::files;
use super::session::{client_address, within_budgets};
use super::{ApiTags, Created};
use crate::auth::request_id;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct PortalApi;

/// The machine a QR code names, as the portal shows it.
#[derive(Debug, Object)]
pub struct PortalEquipment {
    pub company_name: String,
    pub site_name: String,
    pub equipment_id: Uuid,
    pub equipment_code: String,
    pub equipment_name: String,
}

/// A failure reported on the portal.
#[derive(Debug, Multipart)]
pub struct PortalRequestForm {
    /// What is wrong, in a few words.
    pub title: String,
    pub description: Option<String>,
    /// The machine is down and production with it.
    pub production_stopped: Option<bool>,
    /// Optional: who reports it…
    pub reporter_name: Option<String>,
    /// …and how to reach them (telephone, e-mail).
    pub reporter_contact: Option<String>,
    /// Optional photo (JPEG, PNG, WebP, GIF, HEIF, AVIF) or PDF.
    pub photo: Option<Upload>,
}

/// What the author of a portal request is told.
#[derive(Debug, Object)]
pub struct PortalReceipt {
    /// `DI-2026-00042`: to quote when asking about it.
    pub number: String,
}

/// The company and the machine, when the portal is open there.
struct Target {
    tenant_id: TenantId,
    company_name: String,
    site_name: String,
    equipment_id: Uuid,
    equipment_code: String,
    equipment_name: String,
    site_id: Uuid,
}

/// Opens the company's transaction as no one (the portal has no account).
async fn open(state: &AppState, req: &Request, company: &str) -> ApiResult<(TenantTx, String)> {
    let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
    let tenant = tenants::find_by_slug(&mut conn, company)
        .await?
        .filter(|t| t.status() == TenantStatus::Active)
        .ok_or_else(ApiError::not_found)?;
    drop(conn);
    let tx = TenantTx::begin(
        &state.pool,
        tenant.tenant_id(),
        Actor {
            user_id: None,
            request_id: request_id(req),
        },
    )
    .await?;
    Ok((tx, tenant.name))
}

/// The machine, when its site opened the portal (404 otherwise, whatever the reason).
async fn target(tx: &mut TenantTx, company_name: String, id: Uuid) -> ApiResult<Target> {
    let machine = match equipment::get(tx, None, id).await {
        Ok(e) if e.archived_at.is_none() => e,
        Ok(_) | Err(gmao_db::Error::NotFound) => return Err(ApiError::not_found()),
        Err(other) => return Err(other.into()),
    };
    let site = sites::get(tx, None, machine.site_id).await?;
    if !site.public_requests {
        return Err(ApiError::not_found());
    }
    Ok(Target {
        tenant_id: tx.tenant_id(),
        company_name,
        site_name: site.name,
        equipment_id: machine.id,
        equipment_code: machine.code,
        equipment_name: machine.name,
        site_id: machine.site_id,
    })
}

#[OpenApi(prefix_path = "/portal", tag = "ApiTags::Requests")]
impl PortalApi {
    /// The machine behind a QR code, on the public portal
    ///
    /// No account. 404 unless the company is active, the machine in service and its site's
    /// portal open (`public_requests`).
    #[oai(path = "/:company/equipment/:id", method = "get")]
    async fn equipment(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        company: Path<String>,
        id: Path<Uuid>,
    ) -> ApiResult<Json<PortalEquipment>> {
        let (mut tx, company_name) = open(&state, req, &company.0).await?;
        let found = target(&mut tx, company_name, id.0).await?;
        tx.commit().await?;
        Ok(Json(PortalEquipment {
            company_name: found.company_name,
            site_name: found.site_name,
            equipment_id: found.equipment_id,
            equipment_code: found.equipment_code,
            equipment_name: found.equipment_name,
        }))
    }

    /// Report a failure on the public portal
    ///
    /// No account: a multipart form (`title`, `description`, `production_stopped`,
    /// `reporter_name`, `reporter_contact`, `photo`). The request lands in the inbox marked
    /// `anonymous`. A few per client address per hour, and a ceiling per company (429
    /// `too_many_attempts` with `Retry-After`).
    #[oai(path = "/:company/equipment/:id/requests", method = "post")]
    async fn report(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        company: Path<String>,
        id: Path<Uuid>,
        form: PortalRequestForm,
    ) -> ApiResult<Created<PortalReceipt>> {
        // Is the portal open here? Settled before anything is counted or stored.
        let (mut tx, company_name) = open(&state, req, &company.0).await?;
        let found = target(&mut tx, company_name, id.0).await?;
        tx.commit().await?;

        let mut errors = FieldErrors::new();
        let title = errors.check("title", text::name(&form.title, 200));
        let description = errors
            .check(
                "description",
                text::optional_text(form.description.as_deref(), 5000),
            )
            .flatten();
        let reporter_name = errors
            .check(
                "reporter_name",
                text::optional_text(form.reporter_name.as_deref(), 120),
            )
            .flatten();
        let reporter_contact = errors
            .check(
                "reporter_contact",
                text::optional_text(form.reporter_contact.as_deref(), 200),
            )
            .flatten();
        errors.clone().into_result()?;
        let Some(title) = title else {
            return Err(ApiError::fields(&errors));
        };

        let address = client_address(req, state.settings.trust_forwarded_for);
        let tenant = found.tenant_id.0.to_string();
        let per_address = Key::new("portal_address", &format!("{tenant}:{address}"));
        let per_company = Key::new("portal_company", &tenant);
        within_budgets(
            &state,
            &[
                (
                    &per_address,
                    state.settings.limits.portal_requests_per_address,
                ),
                (
                    &per_company,
                    state.settings.limits.portal_requests_per_company,
                ),
            ],
        )
        .await?;

        // The photo is read and stored with no transaction open.
        let photo = match form.photo {
            Some(upload) => {
                let _slot = files::upload_slot(&state).await?;
                let file_name =
                    gmao_storage::clean_file_name(upload.file_name().unwrap_or("photo"));
                let bytes = upload.into_vec().await.map_err(|e| {
                    ApiError::bad_request("invalid_request")
                        .with_details(serde_json::json!({"reason": e.to_string()}))
                })?;
                Some(files::store(&state, found.tenant_id.0, file_name, bytes).await?)
            }
            None => None,
        };
        let saved = async {
            let (mut tx, company_name) = open(&state, req, &company.0).await?;
            // Checked again: the portal may have closed meanwhile.
            let found = target(&mut tx, company_name, id.0).await?;
            let created = work_requests::create(
                &mut tx,
                NewWorkRequest {
                    equipment_id: found.equipment_id,
                    site_id: found.site_id,
                    title,
                    description,
                    urgency: if form.production_stopped.unwrap_or(false) {
                        Urgency::High
                    } else {
                        Urgency::Normal
                    },
                    production_stopped: form.production_stopped.unwrap_or(false),
                    requested_by: None,
                    reporter_name,
                    reporter_contact,
                },
            )
            .await?;
            if let Some(file) = &photo {
                files::record(&mut tx, Owner::WorkRequest, created.id, file).await?;
            }
            tx.commit().await?;
            Ok(created.number)
        }
        .await;
        let number = match photo {
            Some(file) => files::kept(&state, file, saved).await?,
            None => saved?,
        };
        Ok(Created::Created(Json(PortalReceipt { number })))
    }
}
