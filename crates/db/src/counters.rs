//! Yearly numbers per tenant (`BT-2026-00042`). Taken inside the writer's transaction: the row
//! lock serialises concurrent writers and a rollback gives the number back, so numbers have no
//! gaps and no duplicates.

use chrono::{Datelike, Utc};

use crate::{Result, TenantTx};

/// The next number of `name` this year, formatted `PREFIX-YYYY-NNNNN`.
pub async fn next(tx: &mut TenantTx, name: &str, prefix: &str) -> Result<String> {
    let year = Utc::now().year();
    let value: i32 = sqlx::query_scalar(
        "INSERT INTO counters (name, year, value) VALUES ($1, $2, 1)
         ON CONFLICT (name, year) DO UPDATE SET value = counters.value + 1
         RETURNING value",
    )
    .bind(name)
    .bind(year)
    .fetch_one(tx.conn())
    .await?;
    Ok(format_number(prefix, year, value))
}

pub fn format_number(prefix: &str, year: i32, value: i32) -> String {
    format!("{prefix}-{year}-{value:05}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_zero_padded() {
        assert_eq!(super::format_number("BT", 2026, 42), "BT-2026-00042");
        assert_eq!(super::format_number("DI", 2027, 123456), "DI-2027-123456");
    }
}
