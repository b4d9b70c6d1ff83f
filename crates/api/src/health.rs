//! Liveness, readiness and metrics, outside the versioned API.

use std::sync::Arc;

use poem::http::StatusCode;
use poem::web::{Data, Json};
use poem::{IntoResponse, Response, handler};
use serde_json::json;

use crate::state::AppState;

/// The process is up.
#[handler]
pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// The database answers and every migration this build knows is applied, in the control plane
/// and in every tenant.
#[handler]
pub async fn readyz(state: Data<&Arc<AppState>>) -> Response {
    let database = sqlx_ping(&state).await;
    let (public_current, pending) = if database {
        (
            gmao_db::migrate::public_is_current(&state.pool)
                .await
                .unwrap_or(false),
            gmao_db::migrate::pending_tenants(&state.pool)
                .await
                .unwrap_or(-1),
        )
    } else {
        (false, -1)
    };
    let ready = database && public_current && pending == 0;
    let body = json!({
        "status": if ready { "ready" } else { "not_ready" },
        "checks": {
            "database": database,
            "control_plane_migrations_current": public_current,
            "tenants_pending_migration": pending,
        }
    });
    let mut response = Json(body).into_response();
    if !ready {
        response.set_status(StatusCode::SERVICE_UNAVAILABLE);
    }
    response
}

async fn sqlx_ping(state: &AppState) -> bool {
    gmao_db::pool::ping(&state.pool).await.is_ok()
}

/// Prometheus text format.
#[handler]
pub async fn metrics(state: Data<&Arc<AppState>>) -> Response {
    state
        .metrics
        .set_pool(state.pool.size(), state.pool.num_idle());
    if let Ok(mut conn) = state.pool.acquire().await
        && let Ok(counts) = gmao_db::tenants::count_by_status(&mut conn).await
    {
        state.metrics.set_tenants(&counts);
    }
    if let Ok(jobs) = gmao_workers::queue::counts(&state.pool).await {
        state.metrics.set_jobs(&jobs);
    }
    Response::builder()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(state.metrics.render())
}
