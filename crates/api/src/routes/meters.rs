//! Meters and their readings, one by one or imported from a CSV file.

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use gmao_db::meters::{self, ImportLine, ReadAt, Source};
use gmao_domain::{FieldErrors, Permission, text};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{ApiRequest, Object, OpenApi};
use serde_json::json;
use uuid::Uuid;

use super::{ApiTags, Created, NoContent, page_of, page_request};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct MetersApi;

/// A meter of equipment: running hours, cycles, any unit.
#[derive(Debug, Object)]
pub struct Meter {
    pub id: Uuid,
    pub equipment_id: Uuid,
    pub name: String,
    pub unit: String,
    /// Only goes up (running hours, cycles); a gauge may go either way.
    pub cumulative: bool,
    #[oai(nullable)]
    pub last_value: Option<f64>,
    #[oai(nullable)]
    pub last_read_at: Option<DateTime<Utc>>,
    pub reading_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<meters::Meter> for Meter {
    fn from(m: meters::Meter) -> Self {
        Meter {
            id: m.id,
            equipment_id: m.equipment_id,
            name: m.name,
            unit: m.unit,
            cumulative: m.cumulative,
            last_value: m.last_value,
            last_read_at: m.last_read_at,
            reading_count: m.reading_count,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Debug, Object)]
pub struct MeterUpdate {
    pub name: Option<String>,
    pub unit: Option<String>,
}

#[derive(Debug, Object)]
pub struct Reading {
    pub id: Uuid,
    pub meter_id: Uuid,
    pub value: f64,
    pub read_at: DateTime<Utc>,
    /// `manual` or `import`.
    pub source: String,
    #[oai(nullable)]
    pub recorded_by: Option<Uuid>,
    #[oai(nullable)]
    pub recorded_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<meters::Reading> for Reading {
    fn from(r: meters::Reading) -> Self {
        Reading {
            id: r.id,
            meter_id: r.meter_id,
            value: r.value,
            read_at: r.read_at,
            source: r.source,
            recorded_by: r.recorded_by,
            recorded_by_name: r.recorded_by_name,
            created_at: r.created_at,
        }
    }
}

page_of!(ReadingPage, Reading, "A page of readings, newest first.");

#[derive(Debug, Object)]
pub struct NewReading {
    pub value: f64,
    /// When the meter showed this value; default now. At most 5 minutes in the future.
    #[oai(nullable)]
    pub read_at: Option<DateTime<Utc>>,
}

/// A CSV file of readings with a header line: `equipment_code,meter,value,read_at`. The
/// delimiter may be `,` or `;` (with `;`, a decimal comma is accepted). `read_at` is RFC 3339
/// (`2026-11-05T08:30:00Z`) or a local time `2026-11-05 08:30` of the equipment's site.
#[derive(ApiRequest)]
pub enum ReadingsCsv {
    #[oai(content_type = "text/csv")]
    Csv(PlainText<String>),
}

#[derive(Debug, Object)]
pub struct ImportResult {
    pub imported: usize,
}

/// The good lines of the file and the problems of the bad ones; `Err` when the file as a whole
/// cannot be read (no header, missing columns, nothing in it).
fn parse_csv(
    raw: &str,
) -> Result<(Vec<ImportLine>, Vec<serde_json::Value>), Vec<serde_json::Value>> {
    let first = raw.lines().next().unwrap_or("");
    let delimiter = if first.contains(';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(raw.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_lowercase())
            .collect(),
        Err(e) => {
            return Err(vec![
                json!({"line": 1, "field": "file", "code": "invalid_csv", "reason": e.to_string()}),
            ]);
        }
    };
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(code_col), Some(meter_col), Some(value_col), Some(at_col)) = (
        column("equipment_code"),
        column("meter"),
        column("value"),
        column("read_at"),
    ) else {
        return Err(vec![
            json!({"line": 1, "field": "file", "code": "missing_columns",
            "expected": ["equipment_code", "meter", "value", "read_at"]}),
        ]);
    };
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(json!({"line": line, "field": "file", "code": "invalid_csv", "reason": e.to_string()}));
                continue;
            }
        };
        let get = |i: usize| record.get(i).unwrap_or("").to_owned();
        let raw_value = get(value_col);
        let value = if delimiter == b';' {
            raw_value.replace(',', ".")
        } else {
            raw_value
        };
        let Ok(value) = value.parse::<f64>() else {
            problems.push(json!({"line": line, "field": "value", "code": "invalid_number"}));
            continue;
        };
        let raw_at = get(at_col);
        let read_at = if let Ok(at) = DateTime::parse_from_rfc3339(&raw_at) {
            ReadAt::Instant(at.with_timezone(&Utc))
        } else if let Some(local) = [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&raw_at, f).ok())
        {
            ReadAt::SiteLocal(local)
        } else {
            problems.push(json!({"line": line, "field": "read_at", "code": "invalid_date"}));
            continue;
        };
        lines.push(ImportLine {
            line,
            equipment_code: get(code_col),
            meter_name: get(meter_col),
            value,
            read_at,
        });
    }
    if lines.is_empty() && problems.is_empty() {
        return Err(vec![
            json!({"line": 1, "field": "file", "code": "empty_file"}),
        ]);
    }
    Ok((lines, problems))
}

fn import_refused(problems: Vec<serde_json::Value>) -> ApiError {
    ApiError::new(
        poem::http::StatusCode::UNPROCESSABLE_ENTITY,
        "import_refused",
    )
    .with_details(json!({"problems": problems}))
}

#[OpenApi(tag = "ApiTags::Equipment")]
impl MetersApi {
    /// Get a meter
    #[oai(path = "/meters/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Meter>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentRead)?;
        let scope = ctx.principal.site_scope.clone();
        let meter = meters::get(&mut ctx.tx, scope.as_deref(), id.0).await?;
        ctx.commit().await?;
        Ok(Json(meter.into()))
    }

    /// Rename a meter or change its unit
    #[oai(path = "/meters/:id", method = "patch")]
    async fn update(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<MeterUpdate>,
    ) -> ApiResult<Json<Meter>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentManage)?;
        let mut errors = FieldErrors::new();
        let name = body
            .name
            .as_deref()
            .and_then(|n| errors.check("name", text::name(n, 80)));
        let unit = body
            .unit
            .as_deref()
            .and_then(|u| errors.check("unit", text::name(u, 20)));
        errors.into_result()?;
        let scope = ctx.principal.site_scope.clone();
        let meter = meters::update(&mut ctx.tx, scope.as_deref(), id.0, name, unit).await?;
        ctx.commit().await?;
        Ok(Json(meter.into()))
    }

    /// Delete a meter without readings
    #[oai(path = "/meters/:id", method = "delete")]
    async fn delete(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentManage)?;
        let scope = ctx.principal.site_scope.clone();
        meters::delete(&mut ctx.tx, scope.as_deref(), id.0).await?;
        ctx.commit().await?;
        Ok(NoContent::NoContent)
    }

    /// Readings of a meter, newest first
    #[oai(path = "/meters/:id/readings", method = "get")]
    async fn readings(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        from: Query<Option<DateTime<Utc>>>,
        to: Query<Option<DateTime<Utc>>>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<ReadingPage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::EquipmentRead)?;
        let scope = ctx.principal.site_scope.clone();
        let meter = meters::get(&mut ctx.tx, scope.as_deref(), id.0).await?;
        let page = meters::readings(
            &mut ctx.tx,
            meter.id,
            from.0,
            to.0,
            page_request(page.0, per_page.0),
        )
        .await?;
        ctx.commit().await?;
        Ok(Json(ReadingPage::from_page(page, Reading::from)))
    }

    /// Record a reading
    ///
    /// A cumulative meter refuses a value below the previous reading (422
    /// `reading_below_previous`, with the previous value and time), or above the next one when
    /// entered late (`reading_above_next`); two readings at one instant conflict (422
    /// `reading_exists`).
    #[oai(path = "/meters/:id/readings", method = "post")]
    async fn record(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<NewReading>,
    ) -> ApiResult<Created<Reading>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::MetersRecord)?;
        let scope = ctx.principal.site_scope.clone();
        let reading = meters::record(
            &mut ctx.tx,
            scope.as_deref(),
            id.0,
            body.value,
            body.read_at.unwrap_or_else(Utc::now),
            Source::Manual,
        )
        .await?;
        let tenant = ctx.principal.tenant_id;
        ctx.commit().await?;
        // Preventive plans counting this meter may now be due. Best effort: the periodic sweep
        // generates whatever this misses.
        if let Err(error) = gmao_workers::pm::enqueue_after_reading(
            &state.pool,
            tenant,
            reading.meter_id,
            reading.id,
        )
        .await
        {
            tracing::warn!(error = %format!("{error:#}"), "could not queue preventive generation after a reading");
        }
        Ok(Created::Created(Json(reading.into())))
    }

    /// Import readings from a CSV file
    ///
    /// All or nothing: when any line is wrong, nothing is recorded and 422 `import_refused`
    /// lists every problem with its line number.
    #[oai(path = "/meter-readings/import", method = "post")]
    async fn import(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: ReadingsCsv,
    ) -> ApiResult<Json<ImportResult>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::MetersRecord)?;
        let ReadingsCsv::Csv(PlainText(raw)) = body;
        let (lines, mut problems) = parse_csv(&raw).map_err(import_refused)?;
        let scope = ctx.principal.site_scope.clone();
        // The good lines are checked against the database too, so the answer lists every
        // problem of the file at once; the transaction is committed only when there is none.
        let imported = match meters::import(&mut ctx.tx, scope.as_deref(), lines).await? {
            Ok(imported) => imported,
            Err(found) => {
                problems.extend(found.into_iter().map(|p| {
                    let mut entry = json!({"line": p.line, "field": p.field, "code": p.code});
                    if let (Some(map), serde_json::Value::Object(params)) =
                        (entry.as_object_mut(), p.params)
                    {
                        map.extend(params);
                    }
                    entry
                }));
                0
            }
        };
        if !problems.is_empty() {
            problems.sort_by_key(|p| p["line"].as_u64().unwrap_or(0));
            return Err(import_refused(problems));
        }
        let tenant = ctx.principal.tenant_id;
        ctx.commit().await?;
        // One generation pass for the whole import (every meter of the tenant).
        let import_id = uuid::Uuid::now_v7();
        if let Err(error) =
            gmao_workers::pm::enqueue_after_import(&state.pool, tenant, import_id).await
        {
            tracing::warn!(error = %format!("{error:#}"), "could not queue preventive generation after an import");
        }
        Ok(Json(ImportResult { imported }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_accepts_commas_semicolons_and_local_times() {
        let (lines, problems) = parse_csv(
            "equipment_code,meter,value,read_at\nP-1,Heures,1200.5,2026-11-05T08:30:00Z\n",
        )
        .unwrap_or_default();
        assert!(problems.is_empty());
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].value, 1200.5);
        assert!(matches!(lines[0].read_at, ReadAt::Instant(_)));

        let (_, spaced) = parse_csv(
            "\u{feff}Equipment_code;Meter;Value;Read_at\nP-1;Heures;1 200,5;2026-11-05 08:30\n",
        )
        .unwrap_or_default();
        // A space inside a number is refused, not guessed.
        assert_eq!(spaced.len(), 1);
        let (french, _) =
            parse_csv("equipment_code;meter;value;read_at\nP-1;Heures;1200,5;2026-11-05 08:30\n")
                .unwrap_or_default();
        assert_eq!(french[0].value, 1200.5);
        assert!(matches!(french[0].read_at, ReadAt::SiteLocal(_)));
    }

    #[test]
    fn csv_problems_name_their_lines() {
        let (_, problems) = parse_csv("equipment_code,meter,value,read_at\nP-1,H,abc,2026-11-05T08:30:00Z\nP-1,H,3,yesterday\n")
            .unwrap_or_default();
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0]["line"], 2);
        assert_eq!(problems[0]["code"], "invalid_number");
        assert_eq!(problems[1]["line"], 3);
        assert_eq!(problems[1]["code"], "invalid_date");
        let missing = parse_csv("code,value\nP,1\n").err().unwrap_or_default();
        assert_eq!(missing[0]["code"], "missing_columns");
        let empty = parse_csv("equipment_code,meter,value,read_at\n")
            .err()
            .unwrap_or_default();
        assert_eq!(empty[0]["code"], "empty_file");
    }
}
