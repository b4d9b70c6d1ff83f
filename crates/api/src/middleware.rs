//! The edge every request passes: a request id on every log line and on the response, the body
//! size limit, errors turned into the JSON error body in the caller's language, security
//! headers, and metrics.
//!
//! Bodies are never read here: a body over its limit fails while the handler reads it, and
//! handlers authenticate (and, for uploads, check permissions) before they read. A stranger
//! cannot make the server buffer megabytes.

use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;
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
    headers: Arc<SecurityHeaders>,
}

impl Edge {
    pub fn new(state: Arc<AppState>, headers: SecurityHeaders) -> Edge {
        Edge {
            state,
            headers: Arc::new(headers),
        }
    }
}

impl<E: Endpoint> Middleware<E> for Edge {
    type Output = EdgeEndpoint<E>;

    fn transform(&self, inner: E) -> Self::Output {
        EdgeEndpoint {
            inner,
            state: Arc::clone(&self.state),
            headers: Arc::clone(&self.headers),
        }
    }
}

pub struct EdgeEndpoint<E> {
    inner: E,
    state: Arc<AppState>,
    headers: Arc<SecurityHeaders>,
}

/// A caller-supplied id is kept when it looks like an id (a UUID, a trace id: at most 64
/// letters, digits, `-`, `_`, `.` or `:`), so a proxy's id follows the request through our logs
/// and audit log; anything else is replaced, never written down.
fn request_id(req: &Request) -> String {
    req.headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| well_formed_id(v))
        .map(str::to_owned)
        .unwrap_or_else(|| Uuid::now_v7().to_string())
}

fn well_formed_id(raw: &str) -> bool {
    (8..=64).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
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
            // Uploads (multipart, to `…/attachments` and the portal's reports with their photo)
            // get their own, larger limit, with room for the multipart envelope; the file
            // itself is measured again as it is read.
            let portal_report = path.starts_with("/api/v1/portal/") && path.ends_with("/requests");
            let limit = if path.ends_with("/attachments") || portal_report {
                self.state
                    .settings
                    .max_upload_bytes
                    .saturating_add(MULTIPART_OVERHEAD)
            } else {
                self.state.settings.max_body_bytes
            };
            limit_body(&mut req, limit)?;
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
        self.headers.apply(&path, response.headers_mut());
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

/// Room for the multipart envelope (boundaries, part headers) around an uploaded file.
const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// A body that went over its limit while being read.
#[derive(Debug, thiserror::Error)]
#[error("the request body is over {max} bytes")]
pub struct BodyTooLarge {
    pub max: usize,
}

/// Refuses bodies over `max` bytes: at once when Content-Length says so, otherwise while the
/// handler reads (never here: nothing is buffered before authentication).
fn limit_body(req: &mut Request, max: usize) -> Result<()> {
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
        Some(length) if length > max => Err(ApiError::new(
            poem::http::StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        )
        .with_details(serde_json::json!({"max_bytes": max}))
        .into()),
        // The server reads no more than the declared length.
        Some(_) => Ok(()),
        None => {
            let mut seen = 0usize;
            let stream = req.take_body().into_bytes_stream().map(move |chunk| {
                let chunk = chunk?;
                seen = seen.saturating_add(chunk.len());
                if seen > max {
                    Err(std::io::Error::other(BodyTooLarge { max }))
                } else {
                    Ok(chunk)
                }
            });
            req.set_body(Body::from_bytes_stream(stream));
            Ok(())
        }
    }
}

/// Headers that tell browsers what this site may do: run only its own scripts, never be
/// framed, never sniff types, send no referrer (reset and invitation links carry tokens), and
/// on https stay on https.
pub struct SecurityHeaders {
    app_policy: HeaderValue,
    api_policy: HeaderValue,
    docs_policy: HeaderValue,
    hsts: bool,
}

impl SecurityHeaders {
    /// `docs_html` is the API documentation page, whose inline scripts are allowed by hash.
    pub fn new(docs_html: &str, https: bool) -> SecurityHeaders {
        let hashes: Vec<String> = inline_scripts(docs_html)
            .map(|script| {
                use base64::Engine as _;
                use sha2::Digest as _;
                let digest = sha2::Sha256::digest(script.as_bytes());
                format!(
                    "'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                )
            })
            .collect();
        let header = |value: String| {
            HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("default-src 'none'"))
        };
        SecurityHeaders {
            // Styles inline: the component library sets CSS variables in a <style> element.
            app_policy: header(
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                 img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; \
                 object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
                    .into(),
            ),
            api_policy: HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
            docs_policy: header(format!(
                "default-src 'none'; script-src {}; style-src 'unsafe-inline'; img-src 'self' data:; \
                 connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                hashes.join(" ")
            )),
            hsts: https,
        }
    }

    fn apply(&self, path: &str, headers: &mut poem::http::HeaderMap) {
        let policy = if path.starts_with("/api/docs") {
            &self.docs_policy
        } else if path.starts_with("/api/") || matches!(path, "/healthz" | "/readyz" | "/metrics") {
            &self.api_policy
        } else {
            &self.app_policy
        };
        headers.insert(header::CONTENT_SECURITY_POLICY, policy.clone());
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        if self.hsts {
            headers.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            );
        }
    }
}

/// The contents of the `<script>` elements without `src` of an HTML page.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, rest) = rest.split_once('>')?;
        if attributes.contains("src=") {
            return None;
        }
        rest.split_once("</script>").map(|(body, _)| body)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_request_ids_are_kept() {
        assert!(well_formed_id("0190d4c8-7b2a-7c3e-9f00-1234567890ab"));
        assert!(well_formed_id("trace-abc-123"));
        assert!(!well_formed_id("short"));
        assert!(!well_formed_id(&"a".repeat(65)));
        assert!(!well_formed_id("<script>alert(1)</script>"));
        assert!(!well_formed_id("id with spaces"));
        assert!(!well_formed_id("drop'table--x"));
    }

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        let page = "<html><script charset=\"UTF-8\">var a = 1;</script>\
                    <script src=\"/x.js\"></script><script>\nstart()\n</script></html>";
        assert_eq!(
            inline_scripts(page).collect::<Vec<_>>(),
            vec!["var a = 1;", "\nstart()\n"]
        );
        let headers = SecurityHeaders::new(page, true);
        let docs = headers.docs_policy.to_str().unwrap_or_default();
        assert_eq!(docs.matches("'sha256-").count(), 2, "{docs}");
        let app = headers.app_policy.to_str().unwrap_or_default();
        assert!(app.contains("script-src 'self';"), "{app}");
        assert!(app.contains("frame-ancestors 'none'"), "{app}");
    }
}
