//! Hourly rates and weekly capacities as people type them (`48.5` an hour, `35` hours a week),
//! checked and turned into what is stored: cents and minutes.

use crate::FieldError;

/// The highest hourly rate taken: a million an hour is a typing mistake already.
pub const MAX_HOURLY_RATE: f64 = 1_000_000.0;
/// A week has 168 hours.
pub const MAX_WEEKLY_HOURS: f64 = 168.0;

/// An hourly rate in cents; at most two decimals.
pub fn rate_cents(rate: f64) -> Result<i64, FieldError> {
    if !rate.is_finite() || !(0.0..=MAX_HOURLY_RATE).contains(&rate) {
        return Err(FieldError::new("out_of_range")
            .with("min", 0)
            .with("max", MAX_HOURLY_RATE));
    }
    let cents = (rate * 100.0).round();
    if (cents - rate * 100.0).abs() > 1e-6 {
        return Err(FieldError::new("too_many_decimals").with("max", 2));
    }
    Ok(cents as i64)
}

/// Weekly hours in minutes, to the minute.
pub fn capacity_minutes(hours: f64) -> Result<i32, FieldError> {
    if !hours.is_finite() || !(0.0..=MAX_WEEKLY_HOURS).contains(&hours) {
        return Err(FieldError::new("out_of_range")
            .with("min", 0)
            .with("max", MAX_WEEKLY_HOURS));
    }
    Ok((hours * 60.0).round() as i32)
}

/// An ISO 4217 code: three capital letters.
pub fn currency(code: &str) -> Result<String, FieldError> {
    let code = code.trim();
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(code.to_owned())
    } else {
        Err(FieldError::new("invalid_currency"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code<T: std::fmt::Debug>(result: Result<T, FieldError>) -> String {
        match result {
            Ok(value) => panic!("accepted: {value:?}"),
            Err(error) => error.code.to_string(),
        }
    }

    #[test]
    fn rates_are_cents_with_two_decimals_at_most() {
        assert_eq!(rate_cents(48.5).ok(), Some(4850));
        assert_eq!(rate_cents(0.0).ok(), Some(0));
        assert_eq!(rate_cents(19.99).ok(), Some(1999));
        assert_eq!(rate_cents(1_000_000.0).ok(), Some(100_000_000));
        assert_eq!(code(rate_cents(12.345)), "too_many_decimals");
        assert_eq!(code(rate_cents(-1.0)), "out_of_range");
        assert_eq!(code(rate_cents(f64::NAN)), "out_of_range");
        assert_eq!(code(rate_cents(1_000_000.01)), "out_of_range");
    }

    #[test]
    fn capacities_are_minutes_within_a_week() {
        assert_eq!(capacity_minutes(35.0).ok(), Some(2100));
        assert_eq!(capacity_minutes(17.5).ok(), Some(1050));
        assert_eq!(capacity_minutes(0.0).ok(), Some(0));
        assert_eq!(capacity_minutes(168.0).ok(), Some(10080));
        assert_eq!(code(capacity_minutes(168.5)), "out_of_range");
        assert_eq!(code(capacity_minutes(-0.5)), "out_of_range");
        assert_eq!(code(capacity_minutes(f64::INFINITY)), "out_of_range");
    }

    #[test]
    fn currencies_are_iso_codes() {
        assert_eq!(currency(" EUR ").ok().as_deref(), Some("EUR"));
        assert_eq!(currency("CHF").ok().as_deref(), Some("CHF"));
        assert_eq!(code(currency("eur")), "invalid_currency");
        assert_eq!(code(currency("EURO")), "invalid_currency");
        assert_eq!(code(currency("€")), "invalid_currency");
    }
}
