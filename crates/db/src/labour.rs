//! What an hour of work costs and how many hours a week people work: the company's defaults,
//! and each member's own figures (on `members`). Labour cost, utilisation and the backlog in
//! crew-weeks are computed from them (docs/kpis.md).

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::{Result, TenantTx, audit};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LabourSettings {
    /// ISO 4217 code (`EUR`).
    pub currency: String,
    /// Cents per hour for members without their own rate; none: their time has no cost.
    pub default_hourly_rate_cents: Option<i64>,
    /// For members without their own capacity.
    pub default_weekly_capacity_minutes: i32,
    #[serde(skip)]
    pub updated_at: DateTime<Utc>,
}

/// A change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct LabourPatch {
    pub currency: Option<String>,
    pub default_hourly_rate_cents: Option<Option<i64>>,
    pub default_weekly_capacity_minutes: Option<i32>,
}

/// The rate of the member `m` (a `members` row alias) as SQL: their own, else the company's.
pub const EFFECTIVE_RATE: &str =
    "coalesce(m.hourly_rate_cents, (SELECT default_hourly_rate_cents FROM labour_settings))";

/// The weekly capacity of the member `m` as SQL: their own, else the company's.
pub const EFFECTIVE_CAPACITY: &str = "coalesce(m.weekly_capacity_minutes, \
     (SELECT default_weekly_capacity_minutes FROM labour_settings))";

pub async fn get(tx: &mut TenantTx) -> Result<LabourSettings> {
    Ok(sqlx::query_as(
        "SELECT currency, default_hourly_rate_cents, default_weekly_capacity_minutes, updated_at
         FROM labour_settings",
    )
    .fetch_one(tx.conn())
    .await?)
}

/// Changes the company's figures (audited). Values are checked by the caller; the table's
/// checks stand behind them.
pub async fn update(tx: &mut TenantTx, patch: LabourPatch) -> Result<LabourSettings> {
    let before: LabourSettings = sqlx::query_as(
        "SELECT currency, default_hourly_rate_cents, default_weekly_capacity_minutes, updated_at
         FROM labour_settings FOR UPDATE",
    )
    .fetch_one(tx.conn())
    .await?;
    let (rate_given, rate) = match patch.default_hourly_rate_cents {
        Some(rate) => (true, rate),
        None => (false, None),
    };
    sqlx::query(
        "UPDATE labour_settings SET
            currency = coalesce($1, currency),
            default_hourly_rate_cents = CASE WHEN $2 THEN $3 ELSE default_hourly_rate_cents END,
            default_weekly_capacity_minutes = coalesce($4, default_weekly_capacity_minutes)",
    )
    .bind(&patch.currency)
    .bind(rate_given)
    .bind(rate)
    .bind(patch.default_weekly_capacity_minutes)
    .execute(tx.conn())
    .await?;
    let after = get(tx).await?;
    let id: Uuid = tx.tenant_id().0;
    audit::record_change(
        tx,
        "update",
        "labour_settings",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    Ok(after)
}
