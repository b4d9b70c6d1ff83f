//! The one error type of the API. Every failure reaches the client as
//! `{"code": "snake_case", "message": "sentence in the caller's language", "details": {…}}` with
//! a precise status; a 500 hides its cause from the client and logs it.

use std::fmt;

use gmao_domain::{FieldErrors, Locale};
use poem::error::ResponseError;
use poem::http::StatusCode;
use poem::{IntoResponse, Response};
use poem_openapi::registry::{MetaResponses, Registry};
use poem_openapi::{ApiResponse, Object, payload::Json};
use serde_json::{Map, Value, json};

use crate::messages;

/// An error as the client reads it.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Error")]
pub struct ErrorBody {
    /// Stable machine code (`slug_taken`, `invalid_transition`, …): clients choose their
    /// behaviour and their translated text by it.
    pub code: String,
    /// A sentence for people, in the language of `Accept-Language` (French by default).
    pub message: String,
    /// What the code needs to be acted upon: the fields at fault, the conflicting values.
    pub details: Value,
}

/// Documents the error statuses every endpoint may answer.
#[derive(ApiResponse)]
#[allow(dead_code)]
enum ErrorResponses {
    /// Malformed request: invalid JSON, wrong types, unknown values, bad parameters.
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    /// Missing, invalid or expired credentials, or a session that ended.
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    /// Authenticated, but not allowed (permission, suspended company, deactivated account).
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    /// Does not exist, or is not visible to the caller (another company, a site outside scope).
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    /// Conflicts with the current state (a taken code, a role in use, children present).
    #[oai(status = 409)]
    Conflict(Json<ErrorBody>),
    /// The body is larger than the server accepts.
    #[oai(status = 413)]
    PayloadTooLarge(Json<ErrorBody>),
    /// Fields that break a rule; `details.fields` names each one with its own code.
    #[oai(status = 422)]
    Unprocessable(Json<ErrorBody>),
    /// Too many attempts; `details.retry_after_seconds` says when to try again.
    #[oai(status = 429)]
    TooManyRequests(Json<ErrorBody>),
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub details: Value,
    /// The hidden cause of a 500, logged and never sent.
    internal: Option<String>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.into(),
            details: json!({}),
            internal: None,
        }
    }

    pub fn with_details(mut self, details: Value) -> ApiError {
        self.details = details;
        self
    }

    pub fn bad_request(code: &str) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code)
    }

    pub fn unauthorized(code: &str) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, code)
    }

    pub fn forbidden(code: &str) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, code)
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found")
    }

    pub fn conflict(code: &str) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, code)
    }

    /// A 422 for rejected fields. One field gives its own code at the top (`invalid_slug`,
    /// `weak_password`); several give `validation_failed`.
    pub fn fields(errors: &FieldErrors) -> ApiError {
        let code = match errors.iter().next() {
            Some((_, error)) if errors.len() == 1 => error.code.to_owned(),
            _ => "validation_failed".to_owned(),
        };
        let mut fields = Map::new();
        for (field, error) in errors.iter() {
            let mut entry = match &error.params {
                Value::Object(params) => params.clone(),
                _ => Map::new(),
            };
            entry.insert("code".into(), Value::String(error.code.to_owned()));
            fields.insert(field.clone(), Value::Object(entry));
        }
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code)
            .with_details(json!({ "fields": fields }))
    }

    pub fn field(field: &str, error: gmao_domain::FieldError) -> ApiError {
        ApiError::fields(&FieldErrors::single(field, error))
    }

    /// 429 `too_many_attempts`, with `Retry-After`.
    pub fn too_many_attempts(retry_after: std::time::Duration) -> ApiError {
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts")
            .with_details(json!({"retry_after_seconds": retry_after.as_secs().max(1)}))
    }

    pub fn internal(cause: impl fmt::Display) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal_error".into(),
            details: json!({}),
            internal: Some(cause.to_string()),
        }
    }

    /// The body in `locale`, with field messages added under `details.fields.*.message`.
    pub fn body(&self, locale: Locale) -> ErrorBody {
        let mut details = self.details.clone();
        if let Some(Value::Object(fields)) = details.get_mut("fields") {
            for (_, entry) in fields.iter_mut() {
                if let Value::Object(entry) = entry {
                    let code = entry
                        .get("code")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned();
                    let params = Value::Object(entry.clone());
                    entry.insert(
                        "message".into(),
                        Value::String(messages::field_message(&code, &params, locale)),
                    );
                }
            }
        }
        ErrorBody {
            code: self.code.clone(),
            message: messages::message(&self.code, &details, locale),
            details,
        }
    }

    pub fn render(&self, locale: Locale) -> Response {
        if let Some(cause) = &self.internal {
            tracing::error!(error.cause_chain = %cause, "internal error");
        }
        let mut response = Json(self.body(locale)).into_response();
        response.set_status(self.status);
        if let Some(seconds) = self
            .details
            .get("retry_after_seconds")
            .and_then(Value::as_u64)
            && let Ok(value) = seconds.to_string().parse()
        {
            response
                .headers_mut()
                .insert(poem::http::header::RETRY_AFTER, value);
        }
        response
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.code)
    }
}

impl std::error::Error for ApiError {}

impl ResponseError for ApiError {
    fn status(&self) -> StatusCode {
        self.status
    }

    /// Used only when the error escapes the error middleware (it should not): French.
    fn as_response(&self) -> Response {
        self.render(Locale::Fr)
    }
}

impl ApiResponse for ApiError {
    fn meta() -> MetaResponses {
        ErrorResponses::meta()
    }

    fn register(registry: &mut Registry) {
        ErrorResponses::register(registry);
    }
}

impl From<gmao_db::Error> for ApiError {
    fn from(error: gmao_db::Error) -> Self {
        use gmao_db::Error;
        if error.is_unstorable_text() {
            return ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_characters");
        }
        match error {
            Error::NotFound => ApiError::not_found(),
            Error::Invalid(fields) => ApiError::fields(&fields),
            Error::Conflict { code, details } => ApiError::conflict(code).with_details(details),
            Error::Forbidden { code, details } => ApiError::forbidden(code).with_details(details),
            Error::Database(e) => ApiError::internal(format!("database: {e}")),
            Error::Other(e) => ApiError::internal(format!("{e:#}")),
        }
    }
}

impl From<gmao_db::passwords::HashError> for ApiError {
    fn from(error: gmao_db::passwords::HashError) -> Self {
        match error {
            gmao_db::passwords::HashError::Busy => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "server_busy")
                    .with_details(json!({"retry_after_seconds": 5}))
            }
            gmao_db::passwords::HashError::Failed(e) => ApiError::internal(format!("{e:#}")),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        ApiError::internal(format!("{error:#}"))
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::fields(&errors)
    }
}

/// Turns any error that reached the edge (ours, or one raised by poem while parsing) into an
/// [`ApiError`].
pub fn from_poem(error: &poem::Error) -> ApiError {
    use poem::error::{MethodNotAllowedError, NotFoundError, ReadBodyError, SizedLimitError};
    use poem_openapi::error::{
        AuthorizationError, ContentTypeError, ParseMultipartError, ParseParamError, ParsePathError,
        ParseRequestPayloadError,
    };

    if let Some(api) = error.downcast_ref::<ApiError>() {
        return ApiError {
            status: api.status,
            code: api.code.clone(),
            details: api.details.clone(),
            internal: api.internal.clone(),
        };
    }
    if let Some(e) = error.downcast_ref::<ParseRequestPayloadError>() {
        // serde_json syntax errors point at a line and column; poem-openapi's own say which
        // type failed to parse (wrong type, missing field, unknown enum value).
        let code = if e.reason.contains(" at line ") && e.reason.contains(" column ") {
            "invalid_json"
        } else {
            "invalid_request"
        };
        return ApiError::bad_request(code).with_details(json!({"reason": e.reason}));
    }
    if let Some(e) = error.downcast_ref::<ParseParamError>() {
        return ApiError::bad_request("invalid_parameter")
            .with_details(json!({"parameter": e.name, "reason": e.reason}));
    }
    if let Some(e) = error.downcast_ref::<ParsePathError>() {
        return ApiError::bad_request("invalid_parameter")
            .with_details(json!({"parameter": e.name, "reason": e.reason}));
    }
    if let Some(e) = error.downcast_ref::<ParseMultipartError>() {
        return ApiError::bad_request("invalid_request").with_details(json!({"reason": e.reason}));
    }
    if let Some(e) = error.downcast_ref::<ContentTypeError>() {
        return ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_content_type",
        )
        .with_details(json!({"reason": e.to_string()}));
    }
    if error.is::<AuthorizationError>() {
        return ApiError::unauthorized("unauthenticated");
    }
    if error.is::<NotFoundError>() {
        return ApiError::new(StatusCode::NOT_FOUND, "route_not_found");
    }
    if error.is::<MethodNotAllowedError>() {
        return ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    }
    if let Some(max) = body_too_large(error) {
        return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
            .with_details(json!({"max_bytes": max}));
    }
    if error.is::<SizedLimitError>()
        || matches!(
            error.downcast_ref::<ReadBodyError>(),
            Some(ReadBodyError::PayloadTooLarge)
        )
    {
        return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    }
    let status = error.status();
    if status.is_server_error() {
        return ApiError::internal(error.to_string());
    }
    let code = match status {
        StatusCode::BAD_REQUEST => "invalid_request",
        StatusCode::UNAUTHORIZED => "unauthenticated",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_content_type",
        _ => "invalid_request",
    };
    ApiError::new(status, code).with_details(json!({"reason": error.to_string()}))
}

/// The limit a body went over while being read (see the edge middleware), however the reader
/// reported it.
pub fn body_too_large(error: &poem::Error) -> Option<usize> {
    use crate::middleware::BodyTooLarge;
    let io = match error.downcast_ref::<poem::error::ReadBodyError>() {
        Some(poem::error::ReadBodyError::Io(io)) => io,
        _ => return None,
    };
    // The reader may have wrapped our error in its own, once or more.
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(io);
    while let Some(error) = cause {
        if let Some(too_large) = error.downcast_ref::<BodyTooLarge>() {
            return Some(too_large.max);
        }
        cause = match error.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as _),
            None => error.source(),
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use gmao_domain::FieldError;

    #[test]
    fn one_field_gives_its_code_several_give_validation_failed() {
        let one = ApiError::fields(&FieldErrors::single(
            "tenant_slug",
            FieldError::new("invalid_slug"),
        ));
        assert_eq!(one.code, "invalid_slug");
        assert_eq!(one.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(one.details["fields"]["tenant_slug"]["code"], "invalid_slug");

        let mut errors = FieldErrors::new();
        errors.add("email", FieldError::new("invalid_email"));
        errors.add(
            "password",
            FieldError::new("weak_password").with("reason", "too_short"),
        );
        let several = ApiError::fields(&errors);
        assert_eq!(several.code, "validation_failed");
        assert_eq!(several.details["fields"]["password"]["reason"], "too_short");
    }

    #[test]
    fn bodies_are_translated_and_field_messages_added() {
        let error = ApiError::fields(&FieldErrors::single(
            "email",
            FieldError::new("invalid_email"),
        ));
        let fr = error.body(Locale::Fr);
        let en = error.body(Locale::En);
        assert_ne!(fr.message, en.message);
        assert!(
            en.message.to_lowercase().contains("email"),
            "{}",
            en.message
        );
        assert!(
            fr.details["fields"]["email"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let body = ApiError::internal("connection refused to 10.0.0.3").body(Locale::En);
        assert_eq!(body.code, "internal_error");
        assert!(!body.message.contains("10.0.0.3"));
        assert_eq!(body.details, json!({}));
    }
}
