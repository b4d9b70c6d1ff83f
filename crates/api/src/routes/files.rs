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

/// Stores the file, then records it in the request's transaction (committed by the caller).
pub async fn upload(
    state: &AppState,
    ctx: &mut Ctx,
    owner: Owner,
    owner_id: Uuid,
    form: UploadForm,
) -> ApiResult<Attachment> {
    let file_name = clean_file_name(form.file.file_name().unwrap_or("file"));
    let bytes = form.file.into_vec().await.map_err(|e| {
        ApiError::bad_request("invalid_request").with_details(json!({"reason": e.to_string()}))
    })?;
    if bytes.len() > state.settings.max_upload_bytes {
        return Err(
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
                .with_details(json!({"max_bytes": state.settings.max_upload_bytes})),
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
    let key = Storage::attachment_key(ctx.principal.tenant_id.0, id);
    let stored = state
        .storage
        .put(&key, Bytes::from(bytes))
        .await
        .map_err(ApiError::internal)?;
    let attachment = attachments::create(
        &mut ctx.tx,
        NewAttachment {
            id,
            owner,
            owner_id,
            file_name: &file_name,
            content_type,
            size_bytes: stored.size_bytes,
            sha256: &stored.sha256,
            storage_key: &stored.key,
        },
    )
    .await?;
    Ok(attachment)
}

/// The bytes, with their type, and a name the browser uses when saving.
pub async fn download(
    state: &AppState,
    ctx: &mut Ctx,
    owner: Owner,
    owner_id: Uuid,
    id: Uuid,
) -> ApiResult<Response<Binary<Vec<u8>>>> {
    let attachment = attachments::get(&mut ctx.tx, owner, owner_id, id).await?;
    let bytes = match state.storage.get(&attachment.storage_key).await {
        Ok(bytes) => bytes,
        Err(gmao_storage::StorageError::NotFound) => return Err(ApiError::not_found()),
        Err(other) => return Err(ApiError::internal(other)),
    };
    let disposition = if attachment.content_type.starts_with("image/")
        || attachment.content_type == "application/pdf"
    {
        "inline"
    } else {
        "attachment"
    };
    let encoded: String = attachment
        .file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    Ok(Response::new(Binary(bytes.to_vec()))
        .header("content-type", attachment.content_type.as_str())
        .header(
            "content-disposition",
            format!("{disposition}; filename*=UTF-8''{encoded}"),
        )
        .header("cache-control", "private, max-age=3600")
        .header("x-content-type-options", "nosniff"))
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
