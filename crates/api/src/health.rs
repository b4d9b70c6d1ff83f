//! Liveness, readiness and metrics, outside the versioned API.

use std::sync::Arc;
use std::time::Duration;

use poem::http::StatusCode;
use poem::web::{Data, Json};
use poem::{IntoResponse, Request, Response, handler};
use secrecy::ExposeSecret;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::middleware::locale_of;
use crate::state::AppState;

/// How long a health check waits for the database before calling it down.
const DATABASE_CHECK: Duration = Duration::from_secs(2);

/// The process answers and so does its database: 503 when the database does not, so that a
/// supervisor restarts what it can instead of sending traffic to a server that fails it all.
#[handler]
pub async fn healthz(state: Data<&Arc<AppState>>) -> Response {
    let database = database_answers(&state).await;
    let mut response = Json(json!({
        "status": if database { "ok" } else { "unavailable" },
        "checks": {"database": database},
    }))
    .into_response();
    if !database {
        response.set_status(StatusCode::SERVICE_UNAVAILABLE);
    }
    response
}

/// The database answers and every migration this build knows is applied, in the control plane
/// and in every tenant. Booleans only: how many companies exist is nobody's business here.
#[handler]
pub async fn readyz(state: Data<&Arc<AppState>>) -> Response {
    let database = database_answers(&state).await;
    let migrations_current = database
        && gmao_db::migrate::public_is_current(&state.pool)
            .await
            .unwrap_or(false)
        && gmao_db::migrate::pending_tenants(&state.pool)
            .await
            .is_ok_and(|pending| pending == 0);
    let ready = database && migrations_current;
    let mut response = Json(json!({
        "status": if ready { "ready" } else { "not_ready" },
        "checks": {
            "database": database,
            "migrations_current": migrations_current,
        }
    }))
    .into_response();
    if !ready {
        response.set_status(StatusCode::SERVICE_UNAVAILABLE);
    }
    response
}

async fn database_answers(state: &AppState) -> bool {
    matches!(
        tokio::time::timeout(DATABASE_CHECK, gmao_db::pool::ping(&state.pool)).await,
        Ok(Ok(()))
    )
}

/// Prometheus text format. With `metrics_token` set, only for `Authorization: Bearer <token>`.
#[handler]
pub async fn metrics(req: &Request, state: Data<&Arc<AppState>>) -> Response {
    if let Some(expected) = &state.settings.metrics_token {
        let presented = req
            .headers()
            .get(poem::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        // Compared as digests, so the comparison takes the same time whatever matches.
        if Sha256::digest(presented.as_bytes()) != Sha256::digest(expected.expose_secret()) {
            return ApiError::unauthorized("unauthenticated").render(locale_of(req));
        }
    }
    state
        .metrics
        .set_pool(state.pool.size(), state.pool.num_idle());
    if let Ok(mut conn) = state.pool.acquire().await {
        if let Ok(counts) = gmao_db::tenants::count_by_status(&mut conn).await {
            state.metrics.set_tenants(&counts);
        }
        if let Ok(counts) = gmao_db::outbox::counts(&mut conn).await {
            state.metrics.set_mails(&counts);
        }
    }
    if let Ok(jobs) = gmao_workers::queue::counts(&state.pool).await {
        state.metrics.set_jobs(&jobs);
    }
    Response::builder()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(state.metrics.render())
}
