//! Plants (usines, ateliers): the buildings or workshops of a site.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::list::{Counted, paged};
use crate::sites::{Scope, like_pattern};
use crate::{ConstraintExt, Error, Page, PageRequest, Result, Sort, TenantTx, audit};

pub const SORT_KEYS: &[&str] = &["name", "code", "created_at"];

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Plant {
    pub id: Uuid,
    pub site_id: Uuid,
    pub code: String,
    pub name: String,
    pub production_line_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct PlantFilter {
    pub site_id: Option<Uuid>,
    pub q: Option<String>,
    pub sort: Sort,
}

const SELECT: &str = "SELECT p.id, p.site_id, p.code, p.name,
        (SELECT count(*) FROM production_lines l WHERE l.plant_id = p.id) AS production_line_count,
        p.created_at, p.updated_at
    FROM plants p";

pub async fn list(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    filter: &PlantFilter,
    page: PageRequest,
) -> Result<Page<Plant>> {
    let pattern = filter.q.as_deref().map(like_pattern);
    Ok(paged!(page, |limit, offset| {
        let rows: Vec<Counted<Plant>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) OVER () AS total, x.* FROM ({SELECT}
                WHERE ($1::uuid[] IS NULL OR p.site_id = ANY($1))
                  AND ($2::uuid IS NULL OR p.site_id = $2)
                  AND ($3::text IS NULL OR p.name ILIKE $3 OR p.code ILIKE $3)) x
             ORDER BY
                CASE WHEN $4 = 'name' AND NOT $5 THEN x.name END ASC,
                CASE WHEN $4 = 'name' AND $5 THEN x.name END DESC,
                CASE WHEN $4 = 'code' AND NOT $5 THEN x.code END ASC,
                CASE WHEN $4 = 'code' AND $5 THEN x.code END DESC,
                CASE WHEN $4 = 'created_at' AND NOT $5 THEN x.created_at END ASC,
                CASE WHEN $4 = 'created_at' AND $5 THEN x.created_at END DESC,
                x.id
             LIMIT $6 OFFSET $7"
        )))
        .bind(scope)
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

pub async fn get(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<Plant> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE p.id = $1 AND ($2::uuid[] IS NULL OR p.site_id = ANY($2))"
    )))
    .bind(id)
    .bind(scope)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

pub async fn get_for_update(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<Plant> {
    sqlx::query(
        "SELECT 1 FROM plants WHERE id = $1 AND ($2::uuid[] IS NULL OR site_id = ANY($2)) FOR UPDATE",
    )
    .bind(id)
    .bind(scope)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)?;
    get(tx, scope, id).await
}

#[derive(Debug, Clone, Serialize)]
pub struct PlantInput {
    pub site_id: Uuid,
    pub code: String,
    pub name: String,
}

impl From<&Plant> for PlantInput {
    fn from(plant: &Plant) -> Self {
        PlantInput {
            site_id: plant.site_id,
            code: plant.code.clone(),
            name: plant.name.clone(),
        }
    }
}

fn code_taken() -> Error {
    Error::conflict("code_taken", json!({"field": "code"}))
}

/// The caller checked that `input.site_id` is a site in the member's scope.
pub async fn create(tx: &mut TenantTx, input: PlantInput) -> Result<Plant> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO plants (id, site_id, code, name) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(input.site_id)
        .bind(&input.code)
        .bind(&input.name)
        .execute(tx.conn())
        .await
        .on_constraint("plants_code_key", code_taken)?;
    audit::record_change(tx, "create", "plant", id, None, Some(&input)).await?;
    get(tx, None, id).await
}

pub async fn update(tx: &mut TenantTx, before: &Plant, input: PlantInput) -> Result<Plant> {
    sqlx::query("UPDATE plants SET site_id = $2, code = $3, name = $4 WHERE id = $1")
        .bind(before.id)
        .bind(input.site_id)
        .bind(&input.code)
        .bind(&input.name)
        .execute(tx.conn())
        .await
        .on_constraint("plants_code_key", code_taken)?;
    audit::record_change(
        tx,
        "update",
        "plant",
        before.id,
        Some(&PlantInput::from(before)),
        Some(&input),
    )
    .await?;
    get(tx, None, before.id).await
}

pub async fn delete(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<()> {
    let plant = get_for_update(tx, scope, id).await?;
    let equipment = crate::sites::equipment_count(tx, "plant_id", id).await?;
    if plant.production_line_count > 0 || equipment > 0 {
        return Err(Error::conflict(
            "has_children",
            json!({"production_lines": plant.production_line_count, "equipment": equipment}),
        ));
    }
    sqlx::query("DELETE FROM plants WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await
        .on_constraint("production_lines_plant_id_fkey", || {
            Error::conflict("has_children", json!({}))
        })?;
    audit::record_change(
        tx,
        "delete",
        "plant",
        id,
        Some(&PlantInput::from(&plant)),
        None,
    )
    .await?;
    Ok(())
}

pub async fn count(tx: &mut TenantTx, scope: Scope<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM plants WHERE ($1::uuid[] IS NULL OR site_id = ANY($1))",
    )
    .bind(scope)
    .fetch_one(tx.conn())
    .await?)
}
