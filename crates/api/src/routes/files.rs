//! Attachments of equipment, requests and work orders: upload, list, download, delete. The
//! owner's visibility is checked by the caller; this module never sees an owner the caller may
//! not see.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use gmao_db::attachments::{self, Attachment, NewAttachment, Owner};
use gmao_storage::{Storage, clean_file_name, detect_content_type};
use poem::http::StatusCode;
use poem_openapi::payload::{Binary, Response};
use poem_openapi::types::multipart::Upload;
use poem_openapi::{Multipart, Object};
use serde_json::json;
use tokio::io::AsyncReadExt;
use uuid::Uuid;

use crate::auth::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A file to attach: a photo (JPEG, PNG, WebP, GIF, HEIF, AVIF) or a PDF.
#[derive(Debug, Multipart)]
pub struct UploadForm {
    pub file: Upload,
}

#[derive(Debug, Object)]
pub struct AttachmentInfo {
    pub id: Uuid,
    pub file_name: String,
    /// Recognised from the content, not taken from the client.
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    #[oai(nullable)]
    pub uploaded_by: Option<Uuid>,
    #[oai(nullable)]
    pub uploaded_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Where to download it (with the same bearer token).
    pub url: String,
}

super::page_of!(
    AttachmentList,
    AttachmentInfo,
    "Attachments of an object, oldest first."
);

pub fn info(a: Attachment, base: &str) -> AttachmentInfo {
    AttachmentInfo {
        url: format!("/api/v1{base}/attachments/{}", a.id),
        id: a.id,
        file_name: a.file_name,
        content_type: a.content_type,
        size_bytes: a.size_bytes,
        sha256: a.sha256,
        uploaded_by: a.uploaded_by,
        uploaded_by_name: a.uploaded_by_name,
        created_at: a.created_at,
    }
}

/// The multipart body of an upload (one `file` part), not read yet: the handler checks who is
/// calling and whether they may attach anything here before a byte of it is read, and reads it
/// with no transaction open.
pub struct UploadBody(poem::web::Multipart);

impl<'a> poem_openapi::ApiExtractor<'a> for UploadBody {
    const TYPES: &'static [poem_openapi::ApiExtractorType] =
        &[poem_openapi::ApiExtractorType::RequestObject];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut poem_openapi::registry::Registry) {
        <UploadForm as poem_openapi::payload::Payload>::register(registry);
    }

    /// Documented as the form it carries.
    fn request_meta() -> Option<poem_openapi::registry::MetaRequest> {
        <UploadForm as poem_openapi::ApiExtractor>::request_meta()
    }

    async fn from_request(
        request: &'a poem::Request,
        body: &mut poem::RequestBody,
        _param_opts: poem_openapi::ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        let multipart_type = request.content_type().is_some_and(|c| {
            c.split(';')
                .next()
                .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("multipart/form-data"))
        });
        if !multipart_type {
            return Err(poem_openapi::error::ContentTypeError::NotSupported {
                content_type: request.content_type().unwrap_or_default().to_owned(),
            }
            .into());
        }
        // Only prepares the parser: the body is read by `receive`.
        Ok(UploadBody(
            <poem::web::Multipart as poem::FromRequest>::from_request(request, body).await?,
        ))
    }
}

/// A file received and stored, not yet recorded.
#[derive(Debug)]
pub struct Received {
    id: Uuid,
    file_name: String,
    content_type: &'static str,
    stored: gmao_storage::Stored,
}

/// How long an upload waits for one of the concurrent upload slots before 503 `server_busy`.
const UPLOAD_SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// One of the upload slots: a bounded number of uploads in memory at once, whatever the number
/// of callers. Hold it while a file's bytes are read and stored.
pub async fn upload_slot(state: &AppState) -> ApiResult<tokio::sync::SemaphorePermit<'_>> {
    super::slot(&state.uploads, UPLOAD_SLOT_WAIT).await
}

/// Reads the `file` part (at most `max_upload_bytes`), checks its type by content and stores
/// it. Call it with no transaction open: reading and storing take as long as the network does.
pub async fn receive(state: &AppState, tenant_id: Uuid, body: UploadBody) -> ApiResult<Received> {
    let _slot = upload_slot(state).await?;
    let max = state.settings.max_upload_bytes;
    let mut multipart = body.0;
    let (file_name, bytes) = loop {
        let field = multipart.next_field().await.map_err(malformed)?;
        let Some(field) = field else {
            return Err(ApiError::field(
                "file",
                gmao_domain::FieldError::new("required"),
            ));
        };
        if field.name() != Some("file") {
            continue;
        }
        let file_name = clean_file_name(field.file_name().unwrap_or("file"));
        let mut bytes = Vec::new();
        let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
        field
            .into_async_read()
            .take(limit)
            .read_to_end(&mut bytes)
            .await
            .map_err(|e| {
                ApiError::bad_request("invalid_request")
                    .with_details(json!({"reason": e.to_string()}))
            })?;
        break (file_name, bytes);
    };
    store(state, tenant_id, file_name, bytes).await
}

/// Checks a file read whole (size, type by content) and stores it, not recorded yet. Call it
/// with no transaction open.
pub async fn store(
    state: &AppState,
    tenant_id: Uuid,
    file_name: String,
    bytes: Vec<u8>,
) -> ApiResult<Received> {
    let max = state.settings.max_upload_bytes;
    if bytes.len() > max {
        return Err(
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
                .with_details(json!({"max_bytes": max})),
        );
    }
    if bytes.is_empty() {
        return Err(ApiError::field(
            "file",
            gmao_domain::FieldError::new("required"),
        ));
    }
    let content_type = detect_content_type(&bytes).ok_or_else(|| {
        ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_file_type")
            .with_details(json!({"accepted": ["image/jpeg", "image/png", "image/webp", "image/gif", "image/heif", "image/avif", "application/pdf"]}))
    })?;
    let id = Uuid::now_v7();
    let key = Storage::attachment_key(tenant_id, id);
    let stored = state
        .storage
        .put(&key, Bytes::from(bytes))
        .await
        .map_err(ApiError::internal)?;
    Ok(Received {
        id,
        file_name,
        content_type,
        stored,
    })
}

pub(crate) fn busy() -> ApiError {
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "server_busy")
        .with_details(json!({"retry_after_seconds": 10}))
}

fn malformed(error: poem::error::ParseMultipartError) -> ApiError {
    ApiError::bad_request("invalid_request").with_details(json!({"reason": error.to_string()}))
}

/// Records a received file in the request's transaction (committed by the caller).
pub async fn record(
    tx: &mut gmao_db::TenantTx,
    owner: Owner,
    owner_id: Uuid,
    file: &Received,
) -> ApiResult<Attachment> {
    Ok(attachments::create(
        tx,
        NewAttachment {
            id: file.id,
            owner,
            owner_id,
            file_name: &file.file_name,
            content_type: file.content_type,
            size_bytes: file.stored.size_bytes,
            sha256: &file.stored.sha256,
            storage_key: &file.stored.key,
        },
    )
    .await?)
}

/// The outcome of recording `file`: on failure (the owner went away meanwhile, the database
/// refused) its bytes are deleted again, so that no file is kept without its record.
pub async fn kept<T>(state: &AppState, file: Received, outcome: ApiResult<T>) -> ApiResult<T> {
    if outcome.is_err() {
        forget(state, Some(file.stored.key)).await;
    }
    outcome
}

/// The attachment of this owner, to send once the transaction is over (see [`send`]).
pub async fn find(ctx: &mut Ctx, owner: Owner, owner_id: Uuid, id: Uuid) -> ApiResult<Attachment> {
    Ok(attachments::get(&mut ctx.tx, owner, owner_id, id).await?)
}

/// The bytes, with their type, and a name the browser uses when saving. Read from the storage
/// with no transaction open.
pub async fn send(
    state: &AppState,
    attachment: Attachment,
) -> ApiResult<Response<Binary<Vec<u8>>>> {
    let bytes = match state.storage.get(&attachment.storage_key).await {
        Ok(bytes) => bytes,
        Err(gmao_storage::StorageError::NotFound) => return Err(ApiError::not_found()),
        Err(other) => return Err(ApiError::internal(other)),
    };
    let inline = attachment.content_type.starts_with("image/")
        || attachment.content_type == "application/pdf";
    Ok(Response::new(Binary(bytes.to_vec()))
        .header("content-type", attachment.content_type.as_str())
        .header(
            "content-disposition",
            content_disposition(&attachment.file_name, inline),
        )
        .header("cache-control", "private, max-age=3600")
        .header("x-content-type-options", "nosniff"))
}

/// `inline` (shown by the browser) or `attachment`, with the name in RFC 5987 form.
pub fn content_disposition(file_name: &str, inline: bool) -> String {
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = if inline { "inline" } else { "attachment" };
    format!("{disposition}; filename*=UTF-8''{encoded}")
}

/// Deletes the record in the transaction; answers the storage key to delete once committed
/// (unless other records still use the bytes).
pub async fn remove(
    ctx: &mut Ctx,
    owner: Owner,
    owner_id: Uuid,
    id: Uuid,
) -> ApiResult<Option<String>> {
    let attachment = attachments::delete(&mut ctx.tx, owner, owner_id, id).await?;
    let still_used = attachments::storage_key_in_use(&mut ctx.tx, &attachment.storage_key).await?;
    Ok((!still_used).then_some(attachment.storage_key))
}

/// Deletes stored bytes after the transaction that forgot them committed. A failure leaves an
/// orphan file, never a record without its file.
pub async fn forget(state: &AppState, key: Option<String>) {
    if let Some(key) = key
        && let Err(error) = state.storage.delete(&key).await
    {
        tracing::warn!(%error, key, "could not delete a stored file");
    }
}
