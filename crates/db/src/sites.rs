//! Sites: the physical places of a company (a factory, a depot), each in its time zone.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::list::{Counted, paged};
use crate::{ConstraintExt, Error, Page, PageRequest, Result, Sort, TenantTx, audit};

pub const SORT_KEYS: &[&str] = &["name", "code", "created_at"];

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Site {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub address: Option<String>,
    pub time_zone: String,
    /// Anyone may report a failure here without an account (the public request portal).
    pub public_requests: bool,
    pub plant_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Which sites a member may see: `None` means all of them.
pub type Scope<'a> = Option<&'a [Uuid]>;

#[derive(Debug, Clone)]
pub struct SiteFilter {
    pub q: Option<String>,
    pub sort: Sort,
}

const SELECT: &str = "SELECT s.id, s.code, s.name, s.address, s.time_zone, s.public_requests,
        (SELECT count(*) FROM plants p WHERE p.site_id = s.id) AS plant_count,
        s.created_at, s.updated_at
    FROM sites s";

pub async fn list(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    filter: &SiteFilter,
    page: PageRequest,
) -> Result<Page<Site>> {
    let pattern = filter.q.as_deref().map(like_pattern);
    Ok(paged!(page, |limit, offset| {
        let rows: Vec<Counted<Site>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) OVER () AS total, x.* FROM ({SELECT}
                WHERE ($1::uuid[] IS NULL OR s.id = ANY($1))
                  AND ($2::text IS NULL OR s.name ILIKE $2 OR s.code ILIKE $2)) x
             ORDER BY
                CASE WHEN $3 = 'name' AND NOT $4 THEN x.name END ASC,
                CASE WHEN $3 = 'name' AND $4 THEN x.name END DESC,
                CASE WHEN $3 = 'code' AND NOT $4 THEN x.code END ASC,
                CASE WHEN $3 = 'code' AND $4 THEN x.code END DESC,
                CASE WHEN $3 = 'created_at' AND NOT $4 THEN x.created_at END ASC,
                CASE WHEN $3 = 'created_at' AND $4 THEN x.created_at END DESC,
                x.id
             LIMIT $5 OFFSET $6"
        )))
        .bind(scope)
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

/// The site when it exists and lies in `scope`; `NotFound` otherwise, so a member cannot tell
/// a site outside their scope from one that does not exist.
pub async fn get(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<Site> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE s.id = $1 AND ($2::uuid[] IS NULL OR s.id = ANY($2))"
    )))
    .bind(id)
    .bind(scope)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteInput {
    pub code: String,
    pub name: String,
    pub address: Option<String>,
    pub time_zone: String,
    pub public_requests: bool,
}

impl From<&Site> for SiteInput {
    fn from(site: &Site) -> Self {
        SiteInput {
            code: site.code.clone(),
            name: site.name.clone(),
            address: site.address.clone(),
            time_zone: site.time_zone.clone(),
            public_requests: site.public_requests,
        }
    }
}

fn code_taken() -> Error {
    Error::conflict("code_taken", json!({"field": "code"}))
}

pub async fn create(tx: &mut TenantTx, input: SiteInput) -> Result<Site> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO sites (id, code, name, address, time_zone, public_requests)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(&input.code)
    .bind(&input.name)
    .bind(&input.address)
    .bind(&input.time_zone)
    .bind(input.public_requests)
    .execute(tx.conn())
    .await
    .on_constraint("sites_code_key", code_taken)?;
    audit::record_change(tx, "create", "site", id, None, Some(&input)).await?;
    get(tx, None, id).await
}

/// Replaces the site's fields with `input` (the caller merged the patch into the current
/// values, see [`get_for_update`]).
pub async fn update(tx: &mut TenantTx, before: &Site, input: SiteInput) -> Result<Site> {
    sqlx::query(
        "UPDATE sites SET code = $2, name = $3, address = $4, time_zone = $5, public_requests = $6
         WHERE id = $1",
    )
    .bind(before.id)
    .bind(&input.code)
    .bind(&input.name)
    .bind(&input.address)
    .bind(&input.time_zone)
    .bind(input.public_requests)
    .execute(tx.conn())
    .await
    .on_constraint("sites_code_key", code_taken)?;
    audit::record_change(
        tx,
        "update",
        "site",
        before.id,
        Some(&SiteInput::from(before)),
        Some(&input),
    )
    .await?;
    get(tx, None, before.id).await
}

/// The site, locked until the transaction ends, when it is in scope.
pub async fn get_for_update(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<Site> {
    sqlx::query(
        "SELECT 1 FROM sites WHERE id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2)) FOR UPDATE",
    )
    .bind(id)
    .bind(scope)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)?;
    get(tx, scope, id).await
}

/// Deletes a site that has no plants left (409 `has_children` otherwise).
pub async fn delete(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<()> {
    let site = get_for_update(tx, scope, id).await?;
    let equipment = equipment_count(tx, "site_id", id).await?;
    if site.plant_count > 0 || equipment > 0 {
        return Err(Error::conflict(
            "has_children",
            json!({"plants": site.plant_count, "equipment": equipment}),
        ));
    }
    sqlx::query("DELETE FROM sites WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await
        .on_constraint("plants_site_id_fkey", || {
            Error::conflict("has_children", json!({}))
        })?;
    audit::record_change(
        tx,
        "delete",
        "site",
        id,
        Some(&SiteInput::from(&site)),
        None,
    )
    .await?;
    Ok(())
}

/// Equipment (archived included: it keeps its place) standing on the site, plant or line
/// `column` names.
pub(crate) async fn equipment_count(
    tx: &mut TenantTx,
    column: &'static str,
    id: Uuid,
) -> Result<i64> {
    let sql = match column {
        "site_id" => "SELECT count(*) FROM equipment WHERE site_id = $1",
        "plant_id" => "SELECT count(*) FROM equipment WHERE plant_id = $1",
        _ => "SELECT count(*) FROM equipment WHERE production_line_id = $1",
    };
    Ok(sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(tx.conn())
        .await?)
}

/// Ids among `ids` that exist (used to validate a member's site scope).
/// The ids of the sites with these codes (codes are stored upper-case), with the codes that
/// match none.
pub async fn ids_by_code(tx: &mut TenantTx, codes: &[String]) -> Result<(Vec<Uuid>, Vec<String>)> {
    let found: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT id, code FROM sites WHERE code = ANY($1)")
            .bind(codes)
            .fetch_all(tx.conn())
            .await?;
    let unknown = codes
        .iter()
        .filter(|c| !found.iter().any(|(_, code)| code == *c))
        .cloned()
        .collect();
    Ok((found.into_iter().map(|(id, _)| id).collect(), unknown))
}

pub async fn existing(tx: &mut TenantTx, ids: &[Uuid]) -> Result<Vec<Uuid>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM sites WHERE id = ANY($1)")
            .bind(ids)
            .fetch_all(tx.conn())
            .await?,
    )
}

pub async fn count(tx: &mut TenantTx, scope: Scope<'_>) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM sites WHERE ($1::uuid[] IS NULL OR id = ANY($1))")
            .bind(scope)
            .fetch_one(tx.conn())
            .await?,
    )
}

/// `%text%` for ILIKE, with the pattern characters of the search escaped.
pub fn like_pattern(q: &str) -> String {
    let escaped = q
        .trim()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(super::like_pattern(" 50%_off "), "%50\\%\\_off%");
    }
}
