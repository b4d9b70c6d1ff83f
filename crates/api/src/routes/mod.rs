//! The HTTP API, one module per area. Handlers are thin: they parse input into domain values,
//! check permissions, call the repository and map the result.

// A handler's parameters are the documented query parameters of its endpoint; a list with its
// filters, sort and paging naturally has many.
#![allow(clippy::too_many_arguments)]

pub mod audit;
pub mod auth;
pub mod equipment;
pub mod exports;
pub mod failure_codes;
pub mod files;
pub mod follow_ups;
pub mod invitations;
pub mod jobs;
pub mod kpis;
pub mod mailbox;
pub mod me;
pub mod meters;
pub mod my_work;
pub mod permissions;
pub mod plants;
pub mod pm_plans;
pub mod portal;
pub mod production_lines;
pub mod reports;
pub mod requests;
pub mod roles;
pub mod session;
pub mod sites;
pub mod spec_templates;
pub mod templates;
pub mod tenant;
pub mod users;
pub mod vocabulary;
pub mod work_orders;

use gmao_db::{PageRequest, Sort};
use poem_openapi::payload::Json;
use poem_openapi::types::ToJSON;
use poem_openapi::{ApiResponse, Tags};

use crate::error::{ApiError, ApiResult};

#[derive(Tags)]
pub enum ApiTags {
    /// Sign up, log in, refresh and log out.
    Auth,
    /// The caller: profile, role, permissions and password.
    Me,
    /// The caller's company.
    Tenant,
    /// Members of the company.
    Users,
    /// Roles and permissions.
    Roles,
    /// Sites, plants and production lines.
    Sites,
    /// Who changed what, and when.
    Audit,
    /// Equipment, its meters, documents and QR codes.
    Equipment,
    /// Work requests (demandes d'intervention).
    Requests,
    /// Work orders (bons de travail) and failure codes.
    WorkOrders,
    /// Preventive plans, the maintenance calendar and background jobs.
    Preventive,
    /// Maintenance indicators: MTBF, MTTR, availability, compliance, backlog.
    Kpis,
}

/// 201 with the created object.
#[derive(ApiResponse)]
pub enum Created<T: ToJSON + Send + Sync> {
    #[oai(status = 201)]
    Created(Json<T>),
}

/// 204: done, nothing to return.
#[derive(ApiResponse)]
pub enum NoContent {
    #[oai(status = 204)]
    NoContent,
}

pub fn page_request(page: Option<u32>, per_page: Option<u32>) -> PageRequest {
    let default = PageRequest::default();
    PageRequest {
        page: page.unwrap_or(default.page),
        per_page: per_page.unwrap_or(default.per_page),
    }
}

/// Parses `sort` against the keys a list allows; 400 `invalid_sort` names them.
pub fn sort_param(raw: Option<&str>, allowed: &[&'static str], default: Sort) -> ApiResult<Sort> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(raw) => Sort::parse(raw, allowed).ok_or_else(|| {
            let accepted: Vec<String> = allowed
                .iter()
                .flat_map(|k| [k.to_string(), format!("-{k}")])
                .collect();
            ApiError::bad_request("invalid_sort").with_details(serde_json::json!({
                "parameter": "sort",
                "value": raw,
                "accepted": accepted,
            }))
        }),
    }
}

/// One of a bounded number of slots for heavy work (uploads, indicators), waited for at most
/// `wait`, then 503 `server_busy`. Take it before opening a transaction.
pub async fn slot(
    semaphore: &tokio::sync::Semaphore,
    wait: std::time::Duration,
) -> ApiResult<tokio::sync::SemaphorePermit<'_>> {
    tokio::time::timeout(wait, semaphore.acquire())
        .await
        .map_err(|_| files::busy())?
        .map_err(|_| files::busy())
}

/// Blank search text means no search.
pub fn search(q: Option<String>) -> Option<String> {
    q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty())
}

/// Declares a page object `{items, total, page, per_page}` for one item type.
macro_rules! page_of {
    ($name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(poem_openapi::Object)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Rows matching the filters, over all pages.
            pub total: i64,
            pub page: u32,
            pub per_page: u32,
        }

        impl $name {
            /// A whole, unpaged collection (the sub-items of one object) in the same shape.
            #[allow(dead_code)]
            pub fn all(items: Vec<$item>) -> Self {
                let count = items.len();
                $name {
                    items,
                    total: i64::try_from(count).unwrap_or(i64::MAX),
                    page: 1,
                    per_page: u32::try_from(count).unwrap_or(u32::MAX).max(1),
                }
            }

            pub fn from_page<T>(page: gmao_db::Page<T>, f: impl FnMut(T) -> $item) -> Self {
                let page = page.map(f);
                $name {
                    items: page.items,
                    total: page.total,
                    page: page.page,
                    per_page: page.per_page,
                }
            }
        }
    };
}
pub(crate) use page_of;
