//! KPI reports: scheduled by mail (`/report-schedules`), their delivery log, "send now", a
//! preview, and the unsubscribe link of outside recipients (`/report-unsubscribe`).
//!
//! The reports themselves are prepared and sent by the worker (`gmao_workers::reports`): here
//! a schedule is written, a manual delivery recorded and queued, a preview computed in the
//! request (bounded by the KPI slots).

use std::sync::Arc;

use chrono::{DateTime, NaiveTime, Utc};
use gmao_db::report_schedules::{self, ScheduleInput};
use gmao_db::{TenantTx, tenants};
use gmao_domain::{
    Email, FieldError, FieldErrors, Locale, Permission, TenantId, TenantStatus, text,
};
use gmao_kpi::document::INDICATORS;
use gmao_workers::reports as worker;
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Binary, Html, Json, Response};
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::kpis::KpiCriticality;
use super::{ApiTags, Created, NoContent, page_of, page_request};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct ReportsApi;
pub struct UnsubscribeApi;

/// Recipients of one kind a schedule holds at most.
const MAX_RECIPIENTS: usize = 50;
/// How long a preview waits for a free computation slot.
const SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum FrequencyKind {
    /// Every day; the report covers the day before.
    Daily,
    /// On `weekday`; the report covers the previous Monday-to-Sunday week.
    Weekly,
    /// On `day` of the month; the report covers the previous calendar month.
    Monthly,
}

/// When a report goes out.
#[derive(Debug, Clone, Object)]
pub struct ReportFrequency {
    pub kind: FrequencyKind,
    /// Weekly: 1 (Monday) to 7 (Sunday).
    #[oai(validator(minimum(value = "1"), maximum(value = "7")))]
    pub weekday: Option<u8>,
    /// Monthly: 1 to 28, so that every month has it.
    #[oai(validator(minimum(value = "1"), maximum(value = "28")))]
    pub day: Option<u8>,
}

#[derive(Debug, Clone, Object)]
pub struct ReportRecipients {
    /// Members of the company; each must be able to read the indicators of the report's sites.
    #[oai(validator(max_items = 50))]
    pub member_ids: Vec<Uuid>,
    /// Outside addresses (a plant director without an account); each mail carries an
    /// unsubscribe link.
    #[oai(validator(max_items = 50))]
    pub emails: Vec<String>,
}

/// What the report looks at (the dashboard's filters).
#[derive(Debug, Clone, Default, Object)]
pub struct ReportFilters {
    pub site_id: Option<Uuid>,
    pub plant_id: Option<Uuid>,
    pub production_line_id: Option<Uuid>,
    pub equipment_id: Option<Uuid>,
    /// The equipment's category, exactly.
    #[oai(validator(max_length = 80))]
    pub category: Option<String>,
    pub criticality: Option<KpiCriticality>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ReportIndicator {
    Mtbf,
    Mttr,
    Availability,
    PmCompliance,
    PlannedWork,
    Backlog,
    /// Labour cost, at the rates in force.
    Cost,
    /// Downtime by cause, worst machines, repeat failures.
    Failures,
    /// Hours by technician.
    Labour,
    /// Requests received, approval rate, response times.
    Requests,
}

impl ReportIndicator {
    const ALL: [ReportIndicator; 10] = [
        ReportIndicator::Mtbf,
        ReportIndicator::Mttr,
        ReportIndicator::Availability,
        ReportIndicator::PmCompliance,
        ReportIndicator::PlannedWork,
        ReportIndicator::Backlog,
        ReportIndicator::Cost,
        ReportIndicator::Failures,
        ReportIndicator::Labour,
        ReportIndicator::Requests,
    ];

    /// The key the report document knows it by (one of `gmao_kpi::document::INDICATORS`).
    fn as_str(self) -> &'static str {
        match self {
            ReportIndicator::Mtbf => "mtbf",
            ReportIndicator::Mttr => "mttr",
            ReportIndicator::Availability => "availability",
            ReportIndicator::PmCompliance => "pm_compliance",
            ReportIndicator::PlannedWork => "planned_work",
            ReportIndicator::Backlog => "backlog",
            ReportIndicator::Cost => "cost",
            ReportIndicator::Failures => "failures",
            ReportIndicator::Labour => "labour",
            ReportIndicator::Requests => "requests",
        }
    }

    fn stored(raw: &str) -> Option<ReportIndicator> {
        Self::ALL.into_iter().find(|i| i.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ReportFormat {
    /// A report: key figures with their change, charts and tables.
    Pdf,
    /// A workbook, one sheet per table.
    Xlsx,
    /// The tables one after another, UTF-8.
    Csv,
}

impl ReportFormat {
    pub fn export(self) -> gmao_kpi::export::Format {
        match self {
            ReportFormat::Pdf => gmao_kpi::export::Format::Pdf,
            ReportFormat::Xlsx => gmao_kpi::export::Format::Xlsx,
            ReportFormat::Csv => gmao_kpi::export::Format::Csv,
        }
    }

    fn stored(raw: &str) -> ReportFormat {
        match raw {
            "xlsx" => ReportFormat::Xlsx,
            "csv" => ReportFormat::Csv,
            _ => ReportFormat::Pdf,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ReportLanguage {
    Fr,
    En,
}

/// A scheduled report.
#[derive(Debug, Object)]
pub struct ReportSchedule {
    pub id: Uuid,
    pub name: String,
    pub frequency: ReportFrequency,
    /// Local time it goes out, `HH:MM`.
    pub time: String,
    /// IANA time zone of `time` and of the periods.
    pub time_zone: String,
    pub recipients: ReportRecipients,
    /// Outside addresses that unsubscribed (they receive nothing any more).
    pub unsubscribed: Vec<String>,
    pub filters: ReportFilters,
    pub indicators: Vec<ReportIndicator>,
    pub format: ReportFormat,
    pub language: ReportLanguage,
    pub active: bool,
    /// When the next report goes out (while active).
    pub next_run_at: DateTime<Utc>,
    /// The period it will cover.
    pub next_period_start: DateTime<Utc>,
    pub next_period_end: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

page_of!(
    ReportSchedulePage,
    ReportSchedule,
    "A page of scheduled reports."
);

/// A scheduled report as written.
#[derive(Debug, Object)]
pub struct ReportScheduleRequest {
    #[oai(validator(max_length = 120))]
    pub name: String,
    pub frequency: ReportFrequency,
    /// `HH:MM`, local time; `07:00` when absent.
    #[oai(validator(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub time: Option<String>,
    /// IANA time zone (`Europe/Paris`); the first site's when absent.
    #[oai(validator(max_length = 64))]
    pub time_zone: Option<String>,
    pub recipients: ReportRecipients,
    pub filters: Option<ReportFilters>,
    /// Every indicator when absent.
    #[oai(validator(min_items = 1, max_items = 10))]
    pub indicators: Option<Vec<ReportIndicator>>,
    /// `pdf` when absent.
    pub format: Option<ReportFormat>,
    /// The caller's language when absent.
    pub language: Option<ReportLanguage>,
    /// `true` when absent.
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum DeliveryTrigger {
    Schedule,
    /// "Send now".
    Manual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum DeliveryOutcome {
    /// Computing the figures and the file.
    Preparing,
    /// Mails written, some not sent yet (retried while the mail server refuses).
    Sending,
    /// Every mail sent.
    Sent,
    /// Not prepared (see `last_error`), or some mails failed for good.
    Failed,
    /// Prepared, but nobody could receive it.
    NoRecipients,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum MailStatus {
    Pending,
    Sending,
    Sent,
    Failed,
}

#[derive(Debug, Object)]
pub struct DeliveryMail {
    pub recipient: String,
    pub status: MailStatus,
    /// Attempts so far (a refused or unreachable server is retried with back-off).
    pub attempts: i32,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// One report of a schedule for one period.
#[derive(Debug, Object)]
pub struct ReportDelivery {
    pub id: Uuid,
    pub schedule_id: Uuid,
    pub period_start: DateTime<Utc>,
    pub period_end: DateTime<Utc>,
    pub trigger: DeliveryTrigger,
    pub requested_by: Option<Uuid>,
    pub outcome: DeliveryOutcome,
    /// Preparations tried.
    pub attempts: i32,
    pub last_error: Option<String>,
    /// The attached file's size.
    pub attachment_bytes: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub prepared_at: Option<DateTime<Utc>>,
    pub mails: Vec<DeliveryMail>,
}

page_of!(
    ReportDeliveryPage,
    ReportDelivery,
    "A page of a schedule's deliveries, newest first."
);

fn mail_status(raw: &str) -> MailStatus {
    match raw {
        "pending" => MailStatus::Pending,
        "sending" => MailStatus::Sending,
        "failed" => MailStatus::Failed,
        _ => MailStatus::Sent,
    }
}

fn describe_delivery(d: report_schedules::Delivery) -> ReportDelivery {
    let mails: Vec<DeliveryMail> = d
        .mails
        .into_iter()
        .map(|m| DeliveryMail {
            status: mail_status(&m.status),
            recipient: m.recipient,
            attempts: m.attempts,
            last_error: m.last_error,
            sent_at: m.sent_at,
        })
        .collect();
    let outcome = match d.status.as_str() {
        "preparing" => DeliveryOutcome::Preparing,
        "failed" => DeliveryOutcome::Failed,
        _ if mails.is_empty() => DeliveryOutcome::NoRecipients,
        _ if mails.iter().any(|m| m.status == MailStatus::Failed) => DeliveryOutcome::Failed,
        _ if mails.iter().all(|m| m.status == MailStatus::Sent) => DeliveryOutcome::Sent,
        _ => DeliveryOutcome::Sending,
    };
    ReportDelivery {
        id: d.id,
        schedule_id: d.schedule_id,
        period_start: d.period_start,
        period_end: d.period_end,
        trigger: if d.trigger == "manual" {
            DeliveryTrigger::Manual
        } else {
            DeliveryTrigger::Schedule
        },
        requested_by: d.requested_by,
        outcome,
        attempts: d.attempts,
        last_error: d.last_error,
        attachment_bytes: d.attachment_bytes,
        created_at: d.created_at,
        prepared_at: d.prepared_at,
        mails,
    }
}

fn filters_of(raw: &Value) -> ReportFilters {
    let id = |key: &str| {
        raw.get(key)
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
    };
    let text = |key: &str| raw.get(key).and_then(Value::as_str).map(str::to_owned);
    ReportFilters {
        site_id: id("site_id"),
        plant_id: id("plant_id"),
        production_line_id: id("production_line_id"),
        equipment_id: id("equipment_id"),
        category: text("category"),
        criticality: text("criticality").and_then(|c| KpiCriticality::parse(&c)),
    }
}

fn describe(s: report_schedules::Schedule, unsubscribed: Vec<String>) -> ApiResult<ReportSchedule> {
    let timing = worker::timing(&s).map_err(ApiError::internal)?;
    let next = timing.period_of(s.next_run_at);
    Ok(ReportSchedule {
        id: s.id,
        frequency: ReportFrequency {
            kind: match s.frequency.as_str() {
                "weekly" => FrequencyKind::Weekly,
                "monthly" => FrequencyKind::Monthly,
                _ => FrequencyKind::Daily,
            },
            weekday: s.weekday.and_then(|d| u8::try_from(d).ok()),
            day: s.month_day.and_then(|d| u8::try_from(d).ok()),
        },
        time: s.send_time.format("%H:%M").to_string(),
        time_zone: s.time_zone,
        recipients: ReportRecipients {
            member_ids: s.member_ids,
            emails: s.emails,
        },
        unsubscribed,
        filters: filters_of(&s.filters),
        indicators: s
            .indicators
            .iter()
            .filter_map(|i| ReportIndicator::stored(i))
            .collect(),
        format: ReportFormat::stored(&s.format),
        language: if s.language == "en" {
            ReportLanguage::En
        } else {
            ReportLanguage::Fr
        },
        active: s.active,
        next_run_at: s.next_run_at,
        next_period_start: next.start,
        next_period_end: next.end,
        name: s.name,
        created_at: s.created_at,
        updated_at: s.updated_at,
    })
}

/// Validates a schedule (every problem at once, 422), including that the filters name things
/// that exist in the caller's sites and that every member listed may read the report.
async fn input(ctx: &mut Ctx, b: ReportScheduleRequest) -> ApiResult<ScheduleInput> {
    let mut errors = FieldErrors::new();
    let name = errors.check("name", text::name(&b.name, 120));
    let f = &b.frequency;
    let (weekday, month_day) = match f.kind {
        FrequencyKind::Daily => (None, None),
        FrequencyKind::Weekly => match f.weekday {
            Some(day @ 1..=7) => (Some(i16::from(day)), None),
            _ => {
                errors.add("frequency.weekday", FieldError::new("required"));
                (None, None)
            }
        },
        FrequencyKind::Monthly => match f.day {
            Some(day @ 1..=28) => (None, Some(i16::from(day))),
            _ => {
                errors.add("frequency.day", FieldError::new("required"));
                (None, None)
            }
        },
    };
    let send_time = match b.time.as_deref() {
        None => NaiveTime::from_hms_opt(7, 0, 0),
        Some(raw) => {
            let parsed = NaiveTime::parse_from_str(raw, "%H:%M").ok();
            if parsed.is_none() {
                errors.add("time", FieldError::new("invalid_time"));
            }
            parsed
        }
    };
    let time_zone = match b.time_zone.as_deref() {
        Some(raw) => errors
            .check("time_zone", text::time_zone(raw))
            .map(|tz| tz.name().to_owned()),
        None => Some(
            report_schedules::default_time_zone(&mut ctx.tx)
                .await?
                .unwrap_or_else(|| "Europe/Paris".to_owned()),
        ),
    };
    let mut emails: Vec<String> = Vec::new();
    for (i, raw) in b.recipients.emails.iter().enumerate() {
        if let Some(email) = errors.check(&format!("recipients.emails[{i}]"), Email::parse(raw)) {
            let email = email.as_str().to_owned();
            if !emails.contains(&email) {
                emails.push(email);
            }
        }
    }
    let mut member_ids = b.recipients.member_ids.clone();
    member_ids.sort();
    member_ids.dedup();
    if member_ids.len() > MAX_RECIPIENTS || emails.len() > MAX_RECIPIENTS {
        errors.add(
            "recipients",
            FieldError::new("too_many_recipients").with("max", MAX_RECIPIENTS),
        );
    }
    if member_ids.is_empty() && emails.is_empty() {
        errors.add("recipients", FieldError::new("required"));
    }

    let filters = b.filters.unwrap_or_default();
    let mut stored = Map::new();
    for (key, id) in [
        ("site_id", filters.site_id),
        ("plant_id", filters.plant_id),
        ("production_line_id", filters.production_line_id),
        ("equipment_id", filters.equipment_id),
    ] {
        if let Some(id) = id {
            stored.insert(key.to_owned(), Value::String(id.to_string()));
        }
    }
    if let Some(category) = filters
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        stored.insert("category".to_owned(), Value::String(category.to_owned()));
    }
    if let Some(criticality) = filters.criticality {
        stored.insert(
            "criticality".to_owned(),
            Value::String(criticality.as_str().to_owned()),
        );
    }
    let stored = Value::Object(stored);
    // Every id must exist; a site must be one of the caller's.
    let found = report_schedules::filter_names(&mut ctx.tx, &stored).await?;
    for key in ["site_id", "plant_id", "production_line_id", "equipment_id"] {
        if stored.get(key).is_some() && !found.iter().any(|(k, _)| k == key) {
            errors.add(&format!("filters.{key}"), FieldError::new("not_found"));
        }
    }
    if let (Some(scope), Some(site)) = (&ctx.principal.site_scope, filters.site_id)
        && !scope.contains(&site)
    {
        errors.add("filters.site_id", FieldError::new("not_found"));
    }
    // Another site's plant, line or machine is as unknown as one that does not exist.
    let scope = ctx.principal.site_scope.clone();
    for key in report_schedules::filters_outside(&mut ctx.tx, &stored, scope.as_deref()).await? {
        errors.add(&format!("filters.{key}"), FieldError::new("not_found"));
    }
    let report_sites = match (&ctx.principal.site_scope, filters.site_id) {
        (None, None) => None,
        (_, Some(site)) => Some(vec![site]),
        (Some(scope), None) => Some(scope.clone()),
    };
    let refused = report_schedules::members_who_may_not_receive(
        &mut ctx.tx,
        &member_ids,
        report_sites.as_deref(),
    )
    .await?;
    if !refused.is_empty() {
        errors.add(
            "recipients.member_ids",
            FieldError::new("cannot_receive").with(
                "member_ids",
                refused.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ),
        );
    }
    let indicators: Vec<String> = match b.indicators {
        None => INDICATORS.iter().map(|s| (*s).to_owned()).collect(),
        Some(list) => {
            let mut out: Vec<String> = Vec::new();
            for i in list {
                if !out.iter().any(|x| x == i.as_str()) {
                    out.push(i.as_str().to_owned());
                }
            }
            out
        }
    };
    errors.clone().into_result()?;
    let (Some(name), Some(send_time), Some(time_zone)) = (name, send_time, time_zone) else {
        return Err(ApiError::fields(&errors));
    };
    let language = match b.language {
        Some(ReportLanguage::En) => "en",
        Some(ReportLanguage::Fr) => "fr",
        None => ctx.principal.locale.as_str(),
    };
    Ok(ScheduleInput {
        name,
        frequency: match f.kind {
            FrequencyKind::Daily => "daily",
            FrequencyKind::Weekly => "weekly",
            FrequencyKind::Monthly => "monthly",
        }
        .to_owned(),
        weekday,
        month_day,
        send_time,
        time_zone,
        member_ids,
        emails,
        filters: stored,
        indicators,
        format: b
            .format
            .unwrap_or(ReportFormat::Pdf)
            .export()
            .as_str()
            .to_owned(),
        language: language.to_owned(),
        active: b.active.unwrap_or(true),
    })
}

/// When a schedule written now next goes out.
fn next_run(input: &ScheduleInput, now: DateTime<Utc>) -> ApiResult<DateTime<Utc>> {
    let probe = report_schedules::Schedule {
        id: Uuid::nil(),
        name: input.name.clone(),
        frequency: input.frequency.clone(),
        weekday: input.weekday,
        month_day: input.month_day,
        send_time: input.send_time,
        time_zone: input.time_zone.clone(),
        member_ids: Vec::new(),
        emails: Vec::new(),
        filters: Value::Null,
        site_scope: None,
        indicators: Vec::new(),
        format: input.format.clone(),
        language: input.language.clone(),
        active: input.active,
        next_run_at: now,
        created_by: None,
        created_at: now,
        updated_at: now,
    };
    Ok(worker::timing(&probe)
        .map_err(ApiError::internal)?
        .next_after(now))
}

/// A schedule the caller may see (404 otherwise, as for one of another company).
async fn visible(ctx: &mut Ctx, id: Uuid) -> ApiResult<report_schedules::Schedule> {
    let scope = ctx.principal.site_scope.clone();
    Ok(report_schedules::get(&mut ctx.tx, scope.as_deref(), id).await?)
}

/// A generated file.
pub fn file_response(
    bytes: Vec<u8>,
    content_type: &str,
    file_name: &str,
) -> Response<Binary<Vec<u8>>> {
    Response::new(Binary(bytes))
        .header("content-type", content_type)
        .header(
            "content-disposition",
            super::files::content_disposition(file_name, content_type == "application/pdf"),
        )
        .header("cache-control", "private, no-store")
        .header("x-content-type-options", "nosniff")
}

fn settings(state: &AppState) -> worker::ReportSettings {
    worker::ReportSettings {
        public_url: state.settings.public_url.clone(),
    }
}

#[OpenApi(prefix_path = "/report-schedules", tag = "ApiTags::Kpis")]
impl ReportsApi {
    /// List scheduled reports
    ///
    /// By name. A member limited to some sites sees the schedules whose report covers only
    /// their sites.
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<ReportSchedulePage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::ReportsManage)?;
        let scope = ctx.principal.site_scope.clone();
        let page = report_schedules::list(
            &mut ctx.tx,
            scope.as_deref(),
            page_request(page.0, per_page.0),
        )
        .await?;
        let mut items = Vec::with_capacity(page.items.len());
        for schedule in page.items {
            let unsubscribed = report_schedules::unsubscribed(&mut ctx.tx, schedule.id).await?;
            items.push(describe(schedule, unsubscribed)?);
        }
        ctx.commit().await?;
        Ok(Json(ReportSchedulePage {
            items,
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        }))
    }

    /// Get a scheduled report
    #[oai(path = "/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ReportSchedule>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::ReportsManage)?;
        let schedule = visible(&mut ctx, id.0).await?;
        let unsubscribed = report_schedules::unsubscribed(&mut ctx.tx, schedule.id).await?;
        ctx.commit().await?;
        Ok(Json(describe(schedule, unsubscribed)?))
    }

    /// Schedule a report
    ///
    /// Mailed daily, weekly or monthly at a local time, covering the previous day, week or
    /// month, with the key figures in the mail and the report attached. 409 `name_taken`;
    /// 422 for an unknown filter, a member who may not read the report
    /// (`recipients.member_ids`: `cannot_receive`), no recipient, or 100 schedules already.
    #[oai(path = "/", method = "post")]
    async fn create(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<ReportScheduleRequest>,
    ) -> ApiResult<Created<ReportSchedule>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::ReportsManage)?;
        let input = input(&mut ctx, body.0).await?;
        let next = next_run(&input, Utc::now())?;
        let scope = ctx.principal.site_scope.clone();
        let schedule = report_schedules::create(&mut ctx.tx, input, scope.as_deref(), next).await?;
        ctx.commit().await?;
        Ok(Created::Created(Json(describe(schedule, Vec::new())?)))
    }

    /// Replace a scheduled report
    ///
    /// The whole schedule as it should be; its next run follows the new timing (a period
    /// already sent is never sent again by the schedule).
    #[oai(path = "/:id", method = "put")]
    async fn replace(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<ReportScheduleRequest>,
    ) -> ApiResult<Json<ReportSchedule>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::ReportsManage)?;
        visible(&mut ctx, id.0).await?;
        let input = input(&mut ctx, body.0).await?;
        let next = next_run(&input, Utc::now())?;
        let schedule = report_schedules::update(&mut ctx.tx, id.0, input, next).await?;
        let unsubscribed = report_schedules::unsubscribed(&mut ctx.tx, schedule.id).await?;
        ctx.commit().await?;
        Ok(Json(describe(schedule, unsubscribed)?))
    }

    /// Delete a scheduled report
    ///
    /// With its delivery log; mails already sent are not recalled.
    #[oai(path = "/:id", method = "delete")]
    async fn delete(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::ReportsManage)?;
        visible(&mut ctx, id.0).await?;
        report_schedules::delete(&mut ctx.tx, id.0).await?;
        ctx.commit().await?;
        Ok(NoContent::NoContent)
    }

    /// A schedule's delivery log
    ///
    /// Newest first: each report, when and why it was made, and each mail's fate (sent,
    /// retried with its last error, failed).
    #[oai(path = "/:id/deliveries", method = "get")]
    async fn deliveries(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<ReportDeliveryPage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::ReportsManage)?;
        visible(&mut ctx, id.0).await?;
        let page =
            report_schedules::deliveries(&mut ctx.tx, id.0, page_request(page.0, per_page.0))
                .await?;
        ctx.commit().await?;
        Ok(Json(ReportDeliveryPage::from_page(page, describe_delivery)))
    }

    /// Send a report now
    ///
    /// Prepares and mails the report of the last complete period to the schedule's recipients
    /// at once (202), whatever the schedule's time; the scheduled delivery of that period
    /// still goes out. 409 `already_preparing` while an earlier "send now" is being prepared.
    #[oai(path = "/:id/send", method = "post")]
    async fn send(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Accepted> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::ReportsManage)?;
        let schedule = visible(&mut ctx, id.0).await?;
        if report_schedules::manual_preparing(&mut ctx.tx, schedule.id).await? {
            return Err(ApiError::conflict("already_preparing"));
        }
        let period = worker::latest_period(&schedule, Utc::now()).map_err(ApiError::internal)?;
        let delivery_id = report_schedules::add_delivery(
            &mut ctx.tx,
            schedule.id,
            period.start,
            period.end,
            report_schedules::Trigger::Manual,
        )
        .await?
        .ok_or_else(|| ApiError::conflict("already_preparing"))?;
        let delivery = report_schedules::delivery(&mut ctx.tx, delivery_id).await?;
        let tenant = ctx.tx.tenant_id();
        ctx.commit().await?;
        // Best effort: the due check queues a delivery that stays unprepared.
        if let Err(error) = worker::queue_delivery(&state.pool, tenant, delivery_id, None).await {
            tracing::warn!(delivery = %delivery_id, error = %format!("{error:#}"), "report not queued now; the due check will");
        }
        Ok(Accepted::Accepted(Json(describe_delivery(delivery))))
    }

    /// Preview the report
    ///
    /// The file the recipients would receive for the last complete period, in the schedule's
    /// format or `format`; a PDF opens in the browser.
    #[oai(path = "/:id/preview", method = "get")]
    async fn preview(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        format: Query<Option<ReportFormat>>,
    ) -> ApiResult<Response<Binary<Vec<u8>>>> {
        let (schedule, tenant) = self.open(&state, req, &auth, id.0).await?;
        let mut schedule = schedule;
        if let Some(format) = format.0 {
            schedule.format = format.export().as_str().to_owned();
        }
        let _slot = super::slot(&state.kpi_computations, SLOT_WAIT).await?;
        let prepared = prepare(&state, tenant, &schedule).await?;
        Ok(file_response(
            prepared.file,
            prepared.format.content_type(),
            &prepared.file_name,
        ))
    }

    /// Preview the mail
    ///
    /// The mail a member would receive for the last complete period (HTML).
    #[oai(path = "/:id/preview/mail", method = "get")]
    async fn preview_mail(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Html<String>> {
        let (schedule, tenant) = self.open(&state, req, &auth, id.0).await?;
        let _slot = super::slot(&state.kpi_computations, SLOT_WAIT).await?;
        let prepared = prepare(&state, tenant, &schedule).await?;
        let rendered = worker::letter(&prepared, &schedule, None, None);
        Ok(Html(rendered.html))
    }
}

impl ReportsApi {
    /// The schedule, checked and read in a transaction that ends before any computation.
    async fn open(
        &self,
        state: &AppState,
        req: &Request,
        auth: &BearerAuth,
        id: Uuid,
    ) -> ApiResult<(report_schedules::Schedule, TenantId)> {
        let mut ctx = Ctx::open(state, auth, req).await?;
        ctx.require(Permission::ReportsManage)?;
        let schedule = visible(&mut ctx, id).await?;
        let tenant = ctx.tx.tenant_id();
        ctx.commit().await?;
        Ok((schedule, tenant))
    }
}

async fn prepare(
    state: &AppState,
    tenant: TenantId,
    schedule: &report_schedules::Schedule,
) -> ApiResult<worker::Prepared> {
    let period = worker::latest_period(schedule, Utc::now()).map_err(ApiError::internal)?;
    worker::prepare(&state.pool, &settings(state), tenant, schedule, &period)
        .await
        .map_err(ApiError::internal)
}

/// 202: accepted, done in the background.
#[derive(ApiResponse)]
pub enum Accepted {
    #[oai(status = 202)]
    Accepted(Json<ReportDelivery>),
}

/// The page an unsubscribe link opens.
#[derive(ApiResponse)]
pub enum UnsubscribePage {
    #[oai(status = 200)]
    Ok(Html<String>),
    #[oai(status = 404)]
    NotFound(Html<String>),
}

fn page(locale: Locale, title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><meta name=\"robots\" content=\"noindex\">\
         <title>{title}</title></head><body style=\"font-family:system-ui,sans-serif;max-width:32rem;\
         margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a\"><h1 style=\"font-size:1.4rem\">\
         {title}</h1>{body}</body></html>",
        lang = locale.as_str(),
    )
}

fn escape(raw: &str) -> String {
    raw.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn not_found_page() -> UnsubscribePage {
    UnsubscribePage::NotFound(Html(page(
        Locale::Fr,
        "Lien inconnu · Unknown link",
        "<p>Ce lien de désinscription n'est pas (ou plus) valable.</p>\
         <p lang=\"en\">This unsubscribe link is not (or no longer) valid.</p>",
    )))
}

/// The company and transaction a token belongs to, if it names an active one.
async fn token_tx(state: &AppState, token: &str) -> ApiResult<Option<TenantTx>> {
    let Some(tenant) = report_schedules::unsubscribe_token_tenant(token) else {
        return Ok(None);
    };
    let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
    let tenant = match tenants::get(&mut conn, TenantId(tenant)).await {
        Ok(t) if t.status() == TenantStatus::Active => t,
        Ok(_) | Err(gmao_db::Error::NotFound) => return Ok(None),
        Err(other) => return Err(other.into()),
    };
    drop(conn);
    Ok(Some(
        TenantTx::begin(&state.pool, tenant.tenant_id(), gmao_db::Actor::system()).await?,
    ))
}

#[OpenApi(prefix_path = "/report-unsubscribe", tag = "ApiTags::Kpis")]
impl UnsubscribeApi {
    /// Confirm an unsubscribe (public)
    ///
    /// The page an outside recipient's unsubscribe link opens: it asks for a confirmation, so
    /// that a mail scanner following links unsubscribes nobody.
    #[oai(path = "/", method = "get")]
    async fn confirm(
        &self,
        state: Data<&Arc<AppState>>,
        #[oai(validator(max_length = 200))] token: Query<String>,
    ) -> ApiResult<UnsubscribePage> {
        let Some(mut tx) = token_tx(&state, &token.0).await? else {
            return Ok(not_found_page());
        };
        let known = report_schedules::unsubscribe_target(&mut tx, &token.0).await?;
        tx.commit().await?;
        let Some(target) = known else {
            return Ok(not_found_page());
        };
        let token = escape(&token.0);
        Ok(UnsubscribePage::Ok(Html(page(
            Locale::Fr,
            "Se désinscrire · Unsubscribe",
            &format!(
                "<p>Ne plus envoyer le rapport « {name} » à {email} ?</p>\
                 <p lang=\"en\">Stop sending the report \"{name}\" to {email}?</p>\
                 <form method=\"post\" action=\"?token={token}\">\
                 <button type=\"submit\" style=\"font-size:1rem;padding:.6rem 1.2rem\">\
                 Me désinscrire · Unsubscribe me</button></form>",
                name = escape(&target.schedule_name),
                email = escape(&target.email),
            ),
        ))))
    }

    /// Unsubscribe (public)
    ///
    /// Stops sending the schedule to the address the link was mailed to; also what a mail
    /// client's one-click unsubscribe (RFC 8058) posts. Again: nothing more happens.
    #[oai(path = "/", method = "post")]
    async fn unsubscribe(
        &self,
        state: Data<&Arc<AppState>>,
        #[oai(validator(max_length = 200))] token: Query<String>,
    ) -> ApiResult<UnsubscribePage> {
        let Some(mut tx) = token_tx(&state, &token.0).await? else {
            return Ok(not_found_page());
        };
        let done = match report_schedules::unsubscribe(&mut tx, &token.0).await {
            Ok(done) => done,
            Err(gmao_db::Error::NotFound) => return Ok(not_found_page()),
            Err(other) => return Err(other.into()),
        };
        tx.commit().await?;
        Ok(UnsubscribePage::Ok(Html(page(
            Locale::Fr,
            "Désinscription faite · Unsubscribed",
            &format!(
                "<p>{email} ne recevra plus le rapport « {name} ».</p>\
                 <p lang=\"en\">{email} will no longer receive the report \"{name}\".</p>",
                name = escape(&done.schedule_name),
                email = escape(&done.email),
            ),
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_is_one_the_report_knows() {
        let keys: Vec<&str> = ReportIndicator::ALL.iter().map(|i| i.as_str()).collect();
        assert_eq!(keys, INDICATORS);
        for key in INDICATORS {
            assert_eq!(
                ReportIndicator::stored(key).map(ReportIndicator::as_str),
                Some(key)
            );
        }
    }
}
