//! The company's background jobs, so administrators see failures (of preventive generation,
//! for instance) without asking the platform's operators.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use gmao_domain::Permission;
use poem::Request;
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Enum, Object, OpenApi};

use super::{ApiTags, page_of, page_request};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct JobsApi;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "lowercase")]
pub enum JobStatus {
    /// Waiting for its time or for a worker.
    Pending,
    /// Being run by a worker.
    Running,
    /// Finished successfully.
    Done,
    /// Failed (retried while attempts remain) or given up.
    Failed,
}

impl JobStatus {
    /// The queue's own statuses (apalis-postgres) each one covers.
    fn queue_statuses(self) -> &'static [&'static str] {
        match self {
            JobStatus::Pending => &["Pending", "Queued"],
            JobStatus::Running => &["Running"],
            JobStatus::Done => &["Done"],
            JobStatus::Failed => &["Failed", "Killed"],
        }
    }
}

#[derive(Debug, Object)]
pub struct JobInfo {
    pub id: String,
    /// `pm_generation`, …
    pub queue: String,
    /// `pending`, `queued`, `running`, `done`, `failed` (will be retried while attempts remain),
    /// `killed`.
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    #[oai(nullable)]
    pub done_at: Option<DateTime<Utc>>,
    /// The last error, for failed jobs.
    #[oai(nullable)]
    pub last_result: Option<serde_json::Value>,
    pub payload: serde_json::Value,
}

page_of!(JobPage, JobInfo, "A page of jobs, newest first.");

#[OpenApi(tag = "ApiTags::Preventive")]
impl JobsApi {
    /// Background jobs of the company
    #[oai(path = "/jobs", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        status: Query<Option<JobStatus>>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<JobPage>> {
        let ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::JobsRead)?;
        let tenant = ctx.principal.tenant_id;
        ctx.commit().await?;
        let request = page_request(page.0, per_page.0);
        let (rows, total) = gmao_workers::queue::tenant_jobs(
            &state.pool,
            tenant,
            status.0.map(JobStatus::queue_statuses),
            request.limit(),
            request.offset(),
        )
        .await
        .map_err(ApiError::from)?;
        Ok(Json(JobPage {
            items: rows
                .into_iter()
                .map(|r| JobInfo {
                    id: r.id,
                    queue: r.queue,
                    status: r.status.to_lowercase(),
                    attempts: r.attempts,
                    max_attempts: r.max_attempts,
                    run_at: r.run_at,
                    done_at: r.done_at,
                    last_result: r.last_result,
                    payload: r.payload,
                })
                .collect(),
            total,
            page: request.page,
            per_page: request.per_page,
        }))
    }
}
