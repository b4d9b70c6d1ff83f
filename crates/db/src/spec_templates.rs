//! Specification templates: per equipment category, the labelled fields (with units) that its
//! equipment's specifications hold.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::types::Json;
use uuid::Uuid;

use crate::list::{Counted, paged};
use crate::{ConstraintExt, Error, Page, PageRequest, Result, TenantTx, audit};

/// One specification: the key in `equipment.specifications`, its label, its unit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SpecField {
    pub key: String,
    pub label: String,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SpecTemplate {
    pub id: Uuid,
    pub category: String,
    pub fields: Json<Vec<SpecField>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a template says; also what the audit log records of it.
#[derive(Debug, Clone, Serialize)]
pub struct SpecTemplateInput {
    pub category: String,
    pub fields: Vec<SpecField>,
}

impl From<&SpecTemplate> for SpecTemplateInput {
    fn from(t: &SpecTemplate) -> Self {
        SpecTemplateInput {
            category: t.category.clone(),
            fields: t.fields.0.clone(),
        }
    }
}

const SELECT: &str = "SELECT id, category, fields, created_at, updated_at FROM spec_templates";

/// By category; `category` picks one (case aside).
pub async fn list(
    tx: &mut TenantTx,
    category: Option<&str>,
    page: PageRequest,
) -> Result<Page<SpecTemplate>> {
    Ok(paged!(page, |limit, offset| {
        let rows: Vec<Counted<SpecTemplate>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) OVER () AS total, x.* FROM ({SELECT}
                WHERE $1::text IS NULL OR lower(category) = lower($1)) x
             ORDER BY lower(x.category) LIMIT $2 OFFSET $3"
        )))
        .bind(category)
        .bind(limit)
        .bind(offset)
        .fetch_all(tx.conn())
        .await?;
        rows
    }))
}

pub async fn get(tx: &mut TenantTx, id: Uuid) -> Result<SpecTemplate> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1")))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(Error::NotFound)
}

/// The template, locked until the transaction ends: what the audit says it was stays true.
async fn get_for_update(tx: &mut TenantTx, id: Uuid) -> Result<SpecTemplate> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE id = $1 FOR UPDATE"
    )))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

fn category_taken() -> Error {
    Error::conflict("category_taken", json!({"field": "category"}))
}

pub async fn create(tx: &mut TenantTx, input: SpecTemplateInput) -> Result<SpecTemplate> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO spec_templates (id, category, fields) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(&input.category)
        .bind(Json(&input.fields))
        .execute(tx.conn())
        .await
        .on_constraint("spec_templates_category_key", category_taken)?;
    audit::record_change(tx, "create", "spec_template", id, None, Some(&input)).await?;
    get(tx, id).await
}

pub async fn update(tx: &mut TenantTx, id: Uuid, input: SpecTemplateInput) -> Result<SpecTemplate> {
    let before = get_for_update(tx, id).await?;
    sqlx::query("UPDATE spec_templates SET category = $2, fields = $3 WHERE id = $1")
        .bind(id)
        .bind(&input.category)
        .bind(Json(&input.fields))
        .execute(tx.conn())
        .await
        .on_constraint("spec_templates_category_key", category_taken)?;
    audit::record_change(
        tx,
        "update",
        "spec_template",
        id,
        Some(&SpecTemplateInput::from(&before)),
        Some(&input),
    )
    .await?;
    get(tx, id).await
}

/// Equipment keeps its specifications; they show under their raw keys again.
pub async fn delete(tx: &mut TenantTx, id: Uuid) -> Result<()> {
    let before = get_for_update(tx, id).await?;
    sqlx::query("DELETE FROM spec_templates WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    audit::record_change(
        tx,
        "delete",
        "spec_template",
        id,
        Some(&SpecTemplateInput::from(&before)),
        None,
    )
    .await
}
