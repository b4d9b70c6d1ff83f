//! Checklist and work-order templates: named starting points that plans, approvals and manual
//! orders copy from.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::list::{Counted, paged};
use crate::sites::like_pattern;
use crate::{ConstraintExt, Error, Page, PageRequest, Result, TenantTx, audit};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Template {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub description: Option<String>,
    pub checklist: Value,
    pub work_order_type: Option<String>,
    pub priority: Option<String>,
    pub title: Option<String>,
    pub estimated_minutes: Option<i32>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT id, kind, name, description, checklist, work_order_type, priority,
        title, estimated_minutes, active, created_at, updated_at FROM templates";

/// What a template says; also what the audit log records of it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TemplateInput {
    pub kind: String,
    pub name: String,
    pub description: Option<String>,
    pub checklist: Value,
    pub work_order_type: Option<String>,
    pub priority: Option<String>,
    pub title: Option<String>,
    pub estimated_minutes: Option<i32>,
    pub active: bool,
}

impl From<&Template> for TemplateInput {
    fn from(t: &Template) -> Self {
        TemplateInput {
            kind: t.kind.clone(),
            name: t.name.clone(),
            description: t.description.clone(),
            checklist: t.checklist.clone(),
            work_order_type: t.work_order_type.clone(),
            priority: t.priority.clone(),
            title: t.title.clone(),
            estimated_minutes: t.estimated_minutes,
            active: t.active,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct TemplateFilter {
    pub kind: Option<String>,
    pub q: Option<String>,
    pub include_inactive: bool,
}

/// By kind, then name.
pub async fn list(
    tx: &mut TenantTx,
    filter: &TemplateFilter,
    page: PageRequest,
) -> Result<Page<Template>> {
    let pattern = filter.q.as_deref().map(like_pattern);
    Ok(paged!(page, |limit, offset| {
        let rows: Vec<Counted<Template>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) OVER () AS total, x.* FROM ({SELECT}
                WHERE ($1::text IS NULL OR kind = $1) AND ($2 OR active)
                  AND ($3::text IS NULL OR name ILIKE $3 OR title ILIKE $3)) x
             ORDER BY x.kind, lower(x.name), x.id
             LIMIT $4 OFFSET $5"
        )))
        .bind(&filter.kind)
        .bind(filter.include_inactive)
        .bind(&pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(tx.conn())
        .await?;
        rows
    }))
}

pub async fn get(tx: &mut TenantTx, id: Uuid) -> Result<Template> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1")))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(Error::NotFound)
}

async fn get_for_update(tx: &mut TenantTx, id: Uuid) -> Result<Template> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE id = $1 FOR UPDATE"
    )))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

fn name_taken() -> Error {
    Error::conflict("name_taken", json!({"field": "name"}))
}

pub async fn create(tx: &mut TenantTx, input: TemplateInput) -> Result<Template> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO templates (id, kind, name, description, checklist, work_order_type, priority,
            title, estimated_minutes, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(&input.kind)
    .bind(&input.name)
    .bind(&input.description)
    .bind(&input.checklist)
    .bind(&input.work_order_type)
    .bind(&input.priority)
    .bind(&input.title)
    .bind(input.estimated_minutes)
    .bind(input.active)
    .execute(tx.conn())
    .await
    .on_constraint("templates_name_key", name_taken)?;
    audit::record_change(tx, "create", "template", id, None, Some(&input)).await?;
    get(tx, id).await
}

/// Replaces what the template says (its kind stays).
pub async fn update(tx: &mut TenantTx, id: Uuid, input: TemplateInput) -> Result<Template> {
    let before = get_for_update(tx, id).await?;
    let input = TemplateInput {
        kind: before.kind.clone(),
        ..input
    };
    sqlx::query(
        "UPDATE templates SET name = $2, description = $3, checklist = $4, work_order_type = $5,
            priority = $6, title = $7, estimated_minutes = $8, active = $9
         WHERE id = $1",
    )
    .bind(id)
    .bind(&input.name)
    .bind(&input.description)
    .bind(&input.checklist)
    .bind(&input.work_order_type)
    .bind(&input.priority)
    .bind(&input.title)
    .bind(input.estimated_minutes)
    .bind(input.active)
    .execute(tx.conn())
    .await
    .on_constraint("templates_name_key", name_taken)?;
    audit::record_change(
        tx,
        "update",
        "template",
        id,
        Some(&TemplateInput::from(&before)),
        Some(&input),
    )
    .await?;
    get(tx, id).await
}

/// Orders and plans copied what they needed: a template goes without a trace on them.
pub async fn delete(tx: &mut TenantTx, id: Uuid) -> Result<()> {
    let before = get_for_update(tx, id).await?;
    sqlx::query("DELETE FROM templates WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    audit::record_change(
        tx,
        "delete",
        "template",
        id,
        Some(&TemplateInput::from(&before)),
        None,
    )
    .await
}
