//! Attempt budgets: how many logins, sign-ups, password resets… a key (an account, a client
//! address, both) may try per period, counted in the database so that every replica shares
//! them.
//!
//! The budget is a GCRA (generic cell rate algorithm): a row holds the theoretical arrival
//! time `tat` of the next attempt. Taking an attempt moves `tat` forward by one interval
//! (`per / limit`), in one atomic statement, unless `tat` would then be more than `per` ahead
//! of now: `limit` attempts may come at once, then one per interval. Attempts are taken
//! *before* the work they guard (hashing a password), so a parallel burst gets exactly `limit`
//! through, and a refused attempt moves nothing: someone locked out by a stranger's burst gets
//! an attempt back one interval after the burst, not a whole period after.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;

use crate::Result;

/// `limit` attempts per `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub limit: u32,
    pub per: Duration,
}

impl Rate {
    pub const fn new(limit: u32, per: Duration) -> Rate {
        Rate { limit, per }
    }

    fn interval(self) -> chrono::Duration {
        let per = chrono::Duration::from_std(self.per).unwrap_or(chrono::Duration::hours(1));
        per / i32::try_from(self.limit.max(1)).unwrap_or(i32::MAX)
    }

    fn period(self) -> chrono::Duration {
        chrono::Duration::from_std(self.per).unwrap_or(chrono::Duration::hours(1))
    }
}

/// A budget: what it counts (`login-account`) and whose (`anne@usine.fr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key(Vec<u8>);

impl Key {
    pub fn new(scope: &str, value: &str) -> Key {
        let mut digest = Sha256::new();
        digest.update(scope.as_bytes());
        digest.update(b":");
        digest.update(value.as_bytes());
        Key(digest.finalize().to_vec())
    }
}

/// The answer to an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Over budget: the next attempt is allowed after this long.
    Refused {
        retry_after: Duration,
    },
}

/// Takes one attempt from `key`'s budget, atomically.
pub async fn take(conn: &mut PgConnection, key: &Key, rate: Rate) -> Result<Verdict> {
    let interval = rate.interval();
    let period = rate.period();
    let taken: Option<DateTime<Utc>> = sqlx::query_scalar(
        "INSERT INTO public.throttles AS t (key, tat) VALUES ($1, now() + $2)
         ON CONFLICT (key) DO UPDATE
            SET tat = greatest(t.tat, now()) + $2
            WHERE greatest(t.tat, now()) + $2 <= now() + $3
         RETURNING tat",
    )
    .bind(&key.0)
    .bind(interval)
    .bind(period)
    .fetch_optional(&mut *conn)
    .await?;
    if taken.is_some() {
        return Ok(Verdict::Allowed);
    }
    // Refused: the next attempt fits once `tat + interval` is no more than a period ahead.
    let wait: Option<f64> = sqlx::query_scalar(
        "SELECT extract(epoch FROM (tat + $2) - (now() + $3))::float8
         FROM public.throttles WHERE key = $1",
    )
    .bind(&key.0)
    .bind(interval)
    .bind(period)
    .fetch_optional(&mut *conn)
    .await?;
    let seconds = wait.unwrap_or(1.0).clamp(1.0, 86_400.0);
    Ok(Verdict::Refused {
        retry_after: Duration::from_secs_f64(seconds.ceil()),
    })
}

/// Gives back an attempt taken from `key` (the login it guarded succeeded).
pub async fn give_back(conn: &mut PgConnection, key: &Key, rate: Rate) -> Result<()> {
    sqlx::query("UPDATE public.throttles SET tat = tat - $2 WHERE key = $1")
        .bind(&key.0)
        .bind(rate.interval())
        .execute(conn)
        .await?;
    Ok(())
}

/// Makes `key`'s budget whole again.
pub async fn reset(conn: &mut PgConnection, key: &Key) -> Result<()> {
    sqlx::query("DELETE FROM public.throttles WHERE key = $1")
        .bind(&key.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes one attempt from each budget, or from none: when one refuses, those taken before it
/// are given back. Answers the longest wait among the refusals.
pub async fn take_all(conn: &mut PgConnection, budgets: &[(&Key, Rate)]) -> Result<Verdict> {
    for (index, (key, rate)) in budgets.iter().enumerate() {
        if let Verdict::Refused { retry_after } = take(conn, key, *rate).await? {
            for (taken, rate) in &budgets[..index] {
                give_back(conn, taken, *rate).await?;
            }
            return Ok(Verdict::Refused { retry_after });
        }
    }
    Ok(Verdict::Allowed)
}

/// Deletes budgets that are whole again (nothing to remember).
pub async fn prune(conn: &mut PgConnection) -> Result<u64> {
    let done = sqlx::query("DELETE FROM public.throttles WHERE tat < now()")
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_spread_the_limit_over_the_period() {
        let rate = Rate::new(5, Duration::from_secs(900));
        assert_eq!(rate.interval(), chrono::Duration::seconds(180));
        assert_eq!(rate.period(), chrono::Duration::seconds(900));
        assert_eq!(
            Rate::new(0, Duration::from_secs(60)).interval(),
            chrono::Duration::seconds(60)
        );
    }

    #[test]
    fn keys_depend_on_scope_and_value_and_hide_both() {
        let a = Key::new("login-account", "anne@usine.fr");
        assert_eq!(a, Key::new("login-account", "anne@usine.fr"));
        assert_ne!(a, Key::new("login-address", "anne@usine.fr"));
        assert_ne!(a, Key::new("login-account", "bob@usine.fr"));
        assert_eq!(a.0.len(), 32);
    }
}
