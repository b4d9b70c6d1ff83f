//! What is known of the files attached to equipment, requests and work orders. The bytes are
//! in the storage (see the `gmao-storage` crate); the row is written in the same transaction as
//! the audit entry, after the bytes are safely stored.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::{Error, Result, TenantTx, audit};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    Equipment,
    WorkRequest,
    WorkOrder,
}

impl Owner {
    pub fn as_str(self) -> &'static str {
        match self {
            Owner::Equipment => "equipment",
            Owner::WorkRequest => "work_request",
            Owner::WorkOrder => "work_order",
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Attachment {
    pub id: Uuid,
    pub owner_type: String,
    pub owner_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    #[serde(skip)]
    pub storage_key: String,
    pub uploaded_by: Option<Uuid>,
    pub uploaded_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str =
    "SELECT a.id, a.owner_type, a.owner_id, a.file_name, a.content_type, a.size_bytes,
        a.sha256, a.storage_key, a.uploaded_by, u.full_name AS uploaded_by_name, a.created_at
    FROM attachments a LEFT JOIN public.users u ON u.id = a.uploaded_by";

pub async fn list(tx: &mut TenantTx, owner: Owner, owner_id: Uuid) -> Result<Vec<Attachment>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE a.owner_type = $1 AND a.owner_id = $2 ORDER BY a.created_at, a.id"
    )))
    .bind(owner.as_str())
    .bind(owner_id)
    .fetch_all(tx.conn())
    .await?)
}

/// The attachment of this owner (the caller checked the owner is visible).
pub async fn get(tx: &mut TenantTx, owner: Owner, owner_id: Uuid, id: Uuid) -> Result<Attachment> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE a.id = $1 AND a.owner_type = $2 AND a.owner_id = $3"
    )))
    .bind(id)
    .bind(owner.as_str())
    .bind(owner_id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

pub struct NewAttachment<'a> {
    pub id: Uuid,
    pub owner: Owner,
    pub owner_id: Uuid,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a str,
    pub storage_key: &'a str,
}

pub async fn create(tx: &mut TenantTx, new: NewAttachment<'_>) -> Result<Attachment> {
    let uploaded_by = tx.actor().user_id;
    sqlx::query(
        "INSERT INTO attachments (id, owner_type, owner_id, file_name, content_type, size_bytes, sha256, storage_key, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new.id)
    .bind(new.owner.as_str())
    .bind(new.owner_id)
    .bind(new.file_name)
    .bind(new.content_type)
    .bind(new.size_bytes)
    .bind(new.sha256)
    .bind(new.storage_key)
    .bind(uploaded_by)
    .execute(tx.conn())
    .await?;
    audit::record(
        tx,
        audit::Entry {
            action: "attach",
            entity: new.owner.as_str(),
            entity_id: Some(new.owner_id),
            changes: json!({"attachment": {"id": new.id, "file_name": new.file_name, "content_type": new.content_type, "size_bytes": new.size_bytes}}),
        },
    )
    .await?;
    get(tx, new.owner, new.owner_id, new.id).await
}

/// Removes the row and answers it, so the caller deletes the bytes once the transaction commits.
pub async fn delete(
    tx: &mut TenantTx,
    owner: Owner,
    owner_id: Uuid,
    id: Uuid,
) -> Result<Attachment> {
    let attachment = get(tx, owner, owner_id, id).await?;
    sqlx::query("DELETE FROM attachments WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    audit::record(
        tx,
        audit::Entry {
            action: "detach",
            entity: owner.as_str(),
            entity_id: Some(owner_id),
            changes: json!({"attachment": {"id": id, "file_name": attachment.file_name}}),
        },
    )
    .await?;
    Ok(attachment)
}

/// Copies the attachments of a request onto its work order (same stored bytes).
pub async fn copy_to(
    tx: &mut TenantTx,
    from: Owner,
    from_id: Uuid,
    to: Owner,
    to_id: Uuid,
) -> Result<u64> {
    let done = sqlx::query(
        "INSERT INTO attachments (id, owner_type, owner_id, file_name, content_type, size_bytes, sha256, storage_key, uploaded_by, created_at)
         SELECT gen_random_uuid(), $3, $4, file_name, content_type, size_bytes, sha256, storage_key, uploaded_by, created_at
         FROM attachments WHERE owner_type = $1 AND owner_id = $2",
    )
    .bind(from.as_str())
    .bind(from_id)
    .bind(to.as_str())
    .bind(to_id)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected())
}

/// Whether other attachment rows still use these stored bytes (a request's photo copied to its
/// work order): the bytes are deleted only with the last one.
pub async fn storage_key_in_use(tx: &mut TenantTx, storage_key: &str) -> Result<bool> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM attachments WHERE storage_key = $1)")
            .bind(storage_key)
            .fetch_one(tx.conn())
            .await?,
    )
}
