//! The tenant's catalogue of failure codes: problems seen, their causes, the remedies applied.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::{ConstraintExt, Error, Result, TenantTx, audit};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FailureCode {
    pub id: Uuid,
    pub kind: String,
    pub code: String,
    pub label: String,
    pub description: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const SELECT: &str =
    "SELECT id, kind, code, label, description, active, created_at, updated_at FROM failure_codes";

/// By kind then code; inactive ones only when asked (they stay on past orders).
pub async fn list(
    tx: &mut TenantTx,
    kind: Option<&str>,
    include_inactive: bool,
) -> Result<Vec<FailureCode>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE ($1::text IS NULL OR kind = $1) AND ($2 OR active)
         ORDER BY array_position(ARRAY['problem','cause','remedy'], kind), code"
    )))
    .bind(kind)
    .bind(include_inactive)
    .fetch_all(tx.conn())
    .await?)
}

pub async fn get(tx: &mut TenantTx, id: Uuid) -> Result<FailureCode> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1")))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(Error::NotFound)
}

#[derive(Debug, Clone, Serialize)]
pub struct FailureCodeInput {
    pub kind: String,
    pub code: String,
    pub label: String,
    pub description: Option<String>,
    pub active: bool,
}

impl From<&FailureCode> for FailureCodeInput {
    fn from(f: &FailureCode) -> Self {
        FailureCodeInput {
            kind: f.kind.clone(),
            code: f.code.clone(),
            label: f.label.clone(),
            description: f.description.clone(),
            active: f.active,
        }
    }
}

fn code_taken() -> Error {
    Error::conflict("code_taken", json!({"field": "code"}))
}

pub async fn create(tx: &mut TenantTx, input: FailureCodeInput) -> Result<FailureCode> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO failure_codes (id, kind, code, label, description, active) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(&input.kind)
    .bind(&input.code)
    .bind(&input.label)
    .bind(&input.description)
    .bind(input.active)
    .execute(tx.conn())
    .await
    .on_constraint("failure_codes_code_key", code_taken)?;
    audit::record_change(tx, "create", "failure_code", id, None, Some(&input)).await?;
    get(tx, id).await
}

pub async fn update(
    tx: &mut TenantTx,
    before: &FailureCode,
    input: FailureCodeInput,
) -> Result<FailureCode> {
    sqlx::query("UPDATE failure_codes SET code = $2, label = $3, description = $4, active = $5 WHERE id = $1")
        .bind(before.id)
        .bind(&input.code)
        .bind(&input.label)
        .bind(&input.description)
        .bind(input.active)
        .execute(tx.conn())
        .await
        .on_constraint("failure_codes_code_key", code_taken)?;
    audit::record_change(
        tx,
        "update",
        "failure_code",
        before.id,
        Some(&FailureCodeInput::from(before)),
        Some(&input),
    )
    .await?;
    get(tx, before.id).await
}

/// Deletes a code no work order uses; used ones are deactivated instead (409 `in_use`).
pub async fn delete(tx: &mut TenantTx, id: Uuid) -> Result<()> {
    let code = get(tx, id).await?;
    let uses: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM work_orders
         WHERE failure_problem_id = $1 OR failure_cause_id = $1 OR failure_remedy_id = $1",
    )
    .bind(id)
    .fetch_one(tx.conn())
    .await?;
    if uses > 0 {
        return Err(Error::conflict("in_use", json!({"work_orders": uses})));
    }
    sqlx::query("DELETE FROM failure_codes WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    audit::record_change(
        tx,
        "delete",
        "failure_code",
        id,
        Some(&FailureCodeInput::from(&code)),
        None,
    )
    .await?;
    Ok(())
}

/// The code of `kind` with this id, for a work order's completion.
pub async fn check_kind(tx: &mut TenantTx, id: Uuid, kind: &str) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM failure_codes WHERE id = $1 AND kind = $2 AND active)",
    )
    .bind(id)
    .bind(kind)
    .fetch_one(tx.conn())
    .await?)
}
