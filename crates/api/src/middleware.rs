//! The edge every request passes: a request id on every log line and on the response, the body
//! size limit, errors turned into the JSON error body in the caller's language, and metrics.

use std::sync::Arc;
use std::time::Instant;

use gmao_domain::Locale;
use poem::PathPattern;
use poem::http::{HeaderValue, Method, header};
use poem::{Body, Endpoint, IntoResponse, Middleware, Request, Response, Result};
use tracing::Instrument;
use uuid::Uuid;

use crate::error::{ApiError, from_poem};
use crate::state::AppState;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The id of the request being served, in request data for handlers (the audit log records it).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

pub struct Edge {
    state: Arc<AppState>,
}

impl Edge {
    pub fn new(state: Arc<AppState>) -> Edge {
        Edge { state }
    }
}

impl<E: Endpoint> Middleware<E> for Edge {
    type Output = EdgeEndpoint<E>;

    fn transform(&self, inner: E) -> Self::Output {
        EdgeEndpoint {
            inner,
            state: Arc::clone(&self.state),
        }
    }
}

pub struct EdgeEndpoint<E> {
    inner: E,
    state: Arc<AppState>,
}

/// A caller-supplied id is kept when it is short and printable, so a proxy's id follows the
/// request through our logs.
fn request_id(req: &Request) -> String {
    req.headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 100 && v.chars().all(|c| c.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| Uuid::now_v7().to_string())
}

pub fn locale_of(req: &Request) -> Locale {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Locale::from_accept_language)
        .unwrap_or_default()
}

impl<E: Endpoint> Endpoint for EdgeEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> Result<Response> {
        let started = Instant::now();
        let id = request_id(&req);
        let locale = locale_of(&req);
        let method = req.method().clone();
        let path = req.uri().path().to_owned();
        req.set_data(RequestId(id.clone()));
        req.set_data(Arc::clone(&self.state));

        let span = tracing::info_span!("request", request_id = %id, method = %method, path = %path);
        let outcome = async {
            // Uploads (multipart, to `…/attachments`) get their own, larger limit.
            let limit = if path.ends_with("/attachments") {
                self.state.settings.max_upload_bytes
            } else {
                self.state.settings.max_body_bytes
            };
            limit_body(&mut req, limit).await?;
            self.inner.call(req).await.map(IntoResponse::into_response)
        }
        .instrument(span.clone())
        .await;

        let (mut response, route) = match outcome {
            Ok(response) => {
                let route = response.data::<PathPattern>().map(|p| p.0.to_string());
                (response, route)
            }
            Err(error) => {
                let route = error.data::<PathPattern>().map(|p| p.0.to_string());
                let api_error = from_poem(&error);
                let response = span.in_scope(|| api_error.render(locale));
                (response, route)
            }
        };
        if let Ok(value) = HeaderValue::from_str(&id) {
            response.headers_mut().insert(REQUEST_ID_HEADER, value);
        }
        let status = response.status().as_u16();
        let elapsed = started.elapsed();
        // Unmatched paths share one label so scanners cannot blow up the series count.
        let route = route.unwrap_or_else(|| {
            if status == 404 {
                "unmatched".into()
            } else {
                path_group(&path)
            }
        });
        self.state
            .metrics
            .observe_request(method.as_str(), &route, status, elapsed.as_secs_f64());
        span.in_scope(|| {
            tracing::info!(status, elapsed_ms = elapsed.as_secs_f64() * 1000.0, route = %route, "served");
        });
        Ok(response)
    }
}

/// The first path segment, for requests that matched no route pattern (static files).
fn path_group(path: &str) -> String {
    match path.trim_start_matches('/').split('/').next() {
        Some("") | None => "/".into(),
        Some(first) => format!("/{first}/*"),
    }
}

/// Refuses bodies over `max` bytes: at once when Content-Length says so, otherwise while
/// reading (a chunked body is buffered up to the limit).
async fn limit_body(req: &mut Request, max: usize) -> Result<()> {
    let too_large = || {
        ApiError::new(
            poem::http::StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        )
        .with_details(serde_json::json!({"max_bytes": max}))
    };
    if matches!(
        *req.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::DELETE
    ) {
        return Ok(());
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    match declared {
        Some(length) if length > max => Err(too_large().into()),
        Some(_) => Ok(()),
        None => {
            let body = req.take_body();
            let bytes = body.into_bytes_limit(max).await.map_err(|_| too_large())?;
            req.set_body(Body::from_bytes(bytes));
            Ok(())
        }
    }
}
