//! Maintenance indicators over a tenant's history (docs/kpis.md): the history in scope is
//! loaded in bulk from PostgreSQL ([`history::load`]) and computed with Polars
//! ([`engine::compute`]); [`document`] turns a report into what people read, and [`export`]
//! writes it as CSV, XLSX or PDF. Knows nothing of HTTP.

pub mod breakdown;
pub mod document;
pub mod engine;
pub mod export;
pub mod failures;
pub mod history;
pub mod labour;
pub mod period;
pub mod report;
pub mod requests;
pub mod thread;
#[cfg(test)]
mod worked_example;

pub use engine::{MAX_PERIODS, Query, compute};
pub use history::{History, Scope, load};
pub use period::Grouping;
pub use report::{Backlog, Failures, Figure, Indicator, Report, Unit};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Db(#[from] gmao_db::Error),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error(transparent)]
    Polars(#[from] polars::error::PolarsError),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error("a series holds at most {max} periods")]
    TooManyPeriods { max: usize },
}
