//! Production lines: where equipment stands, inside a plant.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::list::{Counted, paged};
use crate::sites::{Scope, like_pattern};
use crate::{ConstraintExt, Error, Page, PageRequest, Result, Sort, TenantTx, audit};

pub const SORT_KEYS: &[&str] = &["name", "code", "created_at"];

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ProductionLine {
    pub id: Uuid,
    pub plant_id: Uuid,
    pub site_id: Uuid,
    pub code: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct LineFilter {
    pub plant_id: Option<Uuid>,
    pub site_id: Option<Uuid>,
    pub q: Option<String>,
    pub sort: Sort,
}

const SELECT: &str =
    "SELECT l.id, l.plant_id, p.site_id, l.code, l.name, l.created_at, l.updated_at
    FROM production_lines l JOIN plants p ON p.id = l.plant_id";

pub async fn list(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    filter: &LineFilter,
    page: PageRequest,
) -> Result<Page<ProductionLine>> {
    let pattern = filter.q.as_deref().map(like_pattern);
    Ok(paged!(page, |limit, offset| {
        let rows: Vec<Counted<ProductionLine>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) OVER () AS total, x.* FROM ({SELECT}
                WHERE ($1::uuid[] IS NULL OR p.site_id = ANY($1))
                  AND ($2::uuid IS NULL OR l.plant_id = $2)
                  AND ($3::uuid IS NULL OR p.site_id = $3)
                  AND ($4::text IS NULL OR l.name ILIKE $4 OR l.code ILIKE $4)) x
             ORDER BY
                CASE WHEN $5 = 'name' AND NOT $6 THEN x.name END ASC,
                CASE WHEN $5 = 'name' AND $6 THEN x.name END DESC,
                CASE WHEN $5 = 'code' AND NOT $6 THEN x.code END ASC,
                CASE WHEN $5 = 'code' AND $6 THEN x.code END DESC,
                CASE WHEN $5 = 'created_at' AND NOT $6 THEN x.created_at END ASC,
                CASE WHEN $5 = 'created_at' AND $6 THEN x.created_at END DESC,
                x.id
             LIMIT $7 OFFSET $8"
        )))
        .bind(scope)
        .bind(filter.plant_id)
        .bind(filter.site_id)
        .bind(&pattern)
        .bind(filter.sort.key)
        .bind(filter.sort.descending)
        .bind(limit)
        .bind(offset)
        .fetch_all(tx.conn())
        .await?;
        rows
    }))
}

pub async fn get(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<ProductionLine> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE l.id = $1 AND ($2::uuid[] IS NULL OR p.site_id = ANY($2))"
    )))
    .bind(id)
    .bind(scope)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

pub async fn get_for_update(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    id: Uuid,
) -> Result<ProductionLine> {
    sqlx::query(
        "SELECT 1 FROM production_lines l JOIN plants p ON p.id = l.plant_id
         WHERE l.id = $1 AND ($2::uuid[] IS NULL OR p.site_id = ANY($2))
         FOR UPDATE OF l",
    )
    .bind(id)
    .bind(scope)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)?;
    get(tx, scope, id).await
}

#[derive(Debug, Clone, Serialize)]
pub struct LineInput {
    pub plant_id: Uuid,
    pub code: String,
    pub name: String,
}

impl From<&ProductionLine> for LineInput {
    fn from(line: &ProductionLine) -> Self {
        LineInput {
            plant_id: line.plant_id,
            code: line.code.clone(),
            name: line.name.clone(),
        }
    }
}

fn code_taken() -> Error {
    Error::conflict("code_taken", json!({"field": "code"}))
}

/// The caller checked that `input.plant_id` is a plant in the member's scope.
pub async fn create(tx: &mut TenantTx, input: LineInput) -> Result<ProductionLine> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO production_lines (id, plant_id, code, name) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(input.plant_id)
        .bind(&input.code)
        .bind(&input.name)
        .execute(tx.conn())
        .await
        .on_constraint("production_lines_code_key", code_taken)?;
    audit::record_change(tx, "create", "production_line", id, None, Some(&input)).await?;
    get(tx, None, id).await
}

pub async fn update(
    tx: &mut TenantTx,
    before: &ProductionLine,
    input: LineInput,
) -> Result<ProductionLine> {
    sqlx::query("UPDATE production_lines SET plant_id = $2, code = $3, name = $4 WHERE id = $1")
        .bind(before.id)
        .bind(input.plant_id)
        .bind(&input.code)
        .bind(&input.name)
        .execute(tx.conn())
        .await
        .on_constraint("production_lines_code_key", code_taken)?;
    audit::record_change(
        tx,
        "update",
        "production_line",
        before.id,
        Some(&LineInput::from(before)),
        Some(&input),
    )
    .await?;
    get(tx, None, before.id).await
}

pub async fn delete(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<()> {
    let line = get_for_update(tx, scope, id).await?;
    let equipment = crate::sites::equipment_count(tx, "production_line_id", id).await?;
    if equipment > 0 {
        return Err(Error::conflict(
            "has_children",
            json!({"equipment": equipment}),
        ));
    }
    sqlx::query("DELETE FROM production_lines WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    audit::record_change(
        tx,
        "delete",
        "production_line",
        id,
        Some(&LineInput::from(&line)),
        None,
    )
    .await?;
    Ok(())
}

pub async fn count(tx: &mut TenantTx, scope: Scope<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM production_lines l JOIN plants p ON p.id = l.plant_id
         WHERE ($1::uuid[] IS NULL OR p.site_id = ANY($1))",
    )
    .bind(scope)
    .fetch_one(tx.conn())
    .await?)
}
