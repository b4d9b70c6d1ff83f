//! The HTTP API of gmao (poem + poem-openapi): routes, authentication, errors, OpenAPI,
//! health and metrics. The web app is served next to it.

pub mod auth;
pub mod error;
pub mod health;
pub mod mail;
pub mod messages;
pub mod metrics;
pub mod middleware;
pub mod routes;
pub mod state;
pub mod tokens;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use poem::endpoint::StaticFilesEndpoint;
use poem::listener::{Acceptor, TcpAcceptor};
use poem::{Endpoint, EndpointExt, Route, Server, get};
use poem_openapi::OpenApiService;

pub use gmao_db::throttle::Rate;
pub use state::{ApiSettings, AppState, Limits};

use routes::reports::{ReportsApi, UnsubscribeApi};
use routes::users::UsersApi;
use routes::{
    audit::AuditApi, auth::AuthApi, me::MeApi, permissions::PermissionsApi, plants::PlantsApi,
};
use routes::{equipment::EquipmentApi, failure_codes::FailureCodesApi, meters::MetersApi};
use routes::{
    follow_ups::FollowUpsApi, kpis::KpisApi, my_work::MyWorkApi, templates::TemplatesApi,
};
use routes::{invitations::InvitationsApi, mailbox::MailboxApi};
use routes::{
    jobs::JobsApi, pm_plans::PmPlansApi, requests::RequestsApi, work_orders::WorkOrdersApi,
};
use routes::{portal::PortalApi, spec_templates::SpecTemplatesApi};
use routes::{
    production_lines::ProductionLinesApi, roles::RolesApi, sites::SitesApi, tenant::TenantApi,
};

/// The API's services, grouped (poem-openapi tuples hold at most 16).
type Apis = (
    (
        AuthApi,
        MailboxApi,
        MeApi,
        TenantApi,
        UsersApi,
        InvitationsApi,
        RolesApi,
        PermissionsApi,
        SitesApi,
        PlantsApi,
        ProductionLinesApi,
        AuditApi,
    ),
    (
        EquipmentApi,
        SpecTemplatesApi,
        MetersApi,
        RequestsApi,
        PortalApi,
        WorkOrdersApi,
        MyWorkApi,
        FollowUpsApi,
        TemplatesApi,
        FailureCodesApi,
        PmPlansApi,
        JobsApi,
        KpisApi,
    ),
    (ReportsApi, UnsubscribeApi),
);

pub fn openapi() -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            (
                AuthApi,
                MailboxApi,
                MeApi,
                TenantApi,
                UsersApi,
                InvitationsApi,
                RolesApi,
                PermissionsApi,
                SitesApi,
                PlantsApi,
                ProductionLinesApi,
                AuditApi,
            ),
            (
                EquipmentApi,
                SpecTemplatesApi,
                MetersApi,
                RequestsApi,
                PortalApi,
                WorkOrdersApi,
                MyWorkApi,
                FollowUpsApi,
                TemplatesApi,
                FailureCodesApi,
                PmPlansApi,
                JobsApi,
                KpisApi,
            ),
            (ReportsApi, UnsubscribeApi),
        ),
        "gmao API",
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "The API of gmao, a maintenance management system (GMAO/CMMS). JSON in snake_case, \
         UUID ids, RFC 3339 timestamps in UTC. Lists answer `{items, total, page, per_page}`; \
         errors answer `{code, message, details}` with the message in the language of \
         `Accept-Language` (French by default).",
    )
    .server("/api/v1")
}

/// The OpenAPI document, as served at `/api/openapi.json`.
pub fn openapi_json() -> String {
    openapi().spec()
}

/// The whole HTTP application: the API under `/api`, health and metrics, and the web app at
/// `/` (any other path falls back to its `index.html`, so the app's own routes work on reload).
pub fn app(state: Arc<AppState>) -> impl Endpoint {
    let api = openapi();
    let spec = api.spec_endpoint();
    let docs = api.swagger_ui();
    let headers = middleware::SecurityHeaders::new(
        &api.swagger_ui_html(),
        state.settings.public_url.starts_with("https://"),
    );
    let mut route = Route::new()
        .nest("/api/v1", api)
        .at("/api/openapi.json", spec)
        .nest("/api/docs", docs)
        // Unknown API paths answer the JSON 404, never the web app.
        .at("/api/*rest", api_not_found)
        .at("/healthz", get(health::healthz))
        .at("/readyz", get(health::readyz))
        .at("/metrics", get(health::metrics));
    match &state.settings.web_dir {
        Some(dir) => {
            tracing::info!(dir = %dir.display(), "serving the web app");
            route = route.nest(
                "/",
                StaticFilesEndpoint::new(dir)
                    .index_file("index.html")
                    .fallback_to_index()
                    .no_cache_index(),
            );
        }
        None => tracing::warn!("no web app directory: serving the API only"),
    }
    route.with(middleware::Edge::new(state, headers))
}

#[poem::handler]
fn api_not_found() -> poem::Result<()> {
    Err(poem::error::NotFoundError.into())
}

/// Serves `app` on an already bound listener until `shutdown` completes, then lets in-flight
/// requests finish (up to `grace`).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let acceptor = TcpAcceptor::from_tokio(listener)?;
    if let Some(addr) = acceptor
        .local_addr()
        .first()
        .and_then(|a| a.as_socket_addr().copied())
    {
        tracing::info!(%addr, "HTTP server listening");
    }
    Server::new_with_acceptor(acceptor)
        .run_with_graceful_shutdown(app(state), shutdown, Some(grace))
        .await
}
