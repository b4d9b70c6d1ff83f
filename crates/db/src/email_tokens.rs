//! Links mailed to prove a mailbox (`public.email_tokens`): email verification and password
//! reset. Stored hashed, single use, bound to the address they were sent to (a token mailed to
//! an old address proves nothing about a new one), and issuing one retires the older ones of
//! the same purpose.

use chrono::Duration;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{Result, secret_token};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    PasswordReset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::PasswordReset => "password_reset",
        }
    }
}

/// A new token for `user_id` at `email`, valid for `ttl`; answers it in clear (to mail).
pub async fn issue(
    conn: &mut PgConnection,
    purpose: Purpose,
    user_id: Uuid,
    email: &str,
    ttl: Duration,
) -> Result<String> {
    retire(conn, purpose, user_id).await?;
    let (token, hash) = secret_token::generate();
    sqlx::query(
        "INSERT INTO public.email_tokens (token_hash, purpose, user_id, email, expires_at)
         VALUES ($1, $2, $3, $4, now() + $5)",
    )
    .bind(hash)
    .bind(purpose.as_str())
    .bind(user_id)
    .bind(email)
    .bind(ttl)
    .execute(conn)
    .await?;
    Ok(token)
}

/// The account a token is for, when it is usable (as [`consume`] would find it), without
/// using it: to check what the request brings before the slow work.
pub async fn holder(
    conn: &mut PgConnection,
    purpose: Purpose,
    token: &str,
) -> Result<Option<crate::identities::Identity>> {
    let user_id: Option<Uuid> = sqlx::query_scalar(
        "SELECT t.user_id FROM public.email_tokens t
         JOIN public.users u ON u.id = t.user_id AND u.email = t.email
         WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL
           AND t.expires_at > now()",
    )
    .bind(secret_token::hash(token))
    .bind(purpose.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    match user_id {
        Some(id) => Ok(Some(crate::identities::get(conn, id).await?)),
        None => Ok(None),
    }
}

/// Uses a token: answers its account when it is of this purpose, unused, unexpired and still
/// for the account's current address; it cannot be used again. Atomic: of two requests with
/// one token, one gets the account.
pub async fn consume(
    conn: &mut PgConnection,
    purpose: Purpose,
    token: &str,
) -> Result<Option<Uuid>> {
    Ok(sqlx::query_scalar(
        "UPDATE public.email_tokens t SET used_at = now()
         FROM public.users u
         WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL
           AND t.expires_at > now() AND u.id = t.user_id AND u.email = t.email
         RETURNING t.user_id",
    )
    .bind(secret_token::hash(token))
    .bind(purpose.as_str())
    .fetch_optional(conn)
    .await?)
}

/// Retires every unused token of `purpose` for the account.
pub async fn retire(conn: &mut PgConnection, purpose: Purpose, user_id: Uuid) -> Result<()> {
    sqlx::query(
        "UPDATE public.email_tokens SET used_at = now()
         WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
    )
    .bind(user_id)
    .bind(purpose.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes tokens expired a day ago (used or not: none lives more than a few days).
pub async fn prune(conn: &mut PgConnection) -> Result<u64> {
    let done =
        sqlx::query("DELETE FROM public.email_tokens WHERE expires_at < now() - interval '1 day'")
            .execute(conn)
            .await?;
    Ok(done.rows_affected())
}
