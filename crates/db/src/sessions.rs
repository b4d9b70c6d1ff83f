//! Login sessions and their refresh tokens.
//!
//! A session is one refresh-token family. A refresh token is used once: using it marks it used
//! and issues the next one. Presenting a used token again means it was stolen (or replayed), so
//! the whole session is revoked and every token of the family stops working.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{Result, secret_token};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    pub id: Uuid,
    pub user_id: Uuid,
    pub tenant_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub struct NewSession<'a> {
    pub user_id: Uuid,
    pub tenant_id: Option<Uuid>,
    pub lifetime: Duration,
    pub client_address: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

/// Creates a session and its first refresh token, returned in clear (the only time it is).
pub async fn create(conn: &mut PgConnection, new: NewSession<'_>) -> Result<(Session, String)> {
    let session: Session = sqlx::query_as(
        "INSERT INTO public.sessions (id, user_id, tenant_id, expires_at, client_address, user_agent)
         VALUES ($1, $2, $3, now() + $4, $5, $6)
         RETURNING id, user_id, tenant_id, created_at, expires_at, revoked_at",
    )
    .bind(Uuid::now_v7())
    .bind(new.user_id)
    .bind(new.tenant_id)
    .bind(new.lifetime)
    .bind(new.client_address.map(|a| truncate(a, 100)))
    .bind(new.user_agent.map(|a| truncate(a, 400)))
    .fetch_one(&mut *conn)
    .await?;
    let token = issue_token(conn, session.id).await?;
    Ok((session, token))
}

/// What presenting a refresh token led to.
#[derive(Debug)]
pub enum Rotation {
    /// The token was current: here is the session and the next token.
    Rotated {
        session: Session,
        refresh_token: String,
    },
    /// Unknown token, or its session expired or was revoked.
    Invalid,
    /// The token had already been used: the session is now revoked.
    Reused,
}

pub async fn rotate(conn: &mut PgConnection, refresh_token: &str) -> Result<Rotation> {
    let hash = secret_token::hash(refresh_token);
    // Lock the token row so two concurrent uses of one token cannot both succeed.
    let found: Option<(Uuid, Option<DateTime<Utc>>)> = sqlx::query_as(
        "SELECT session_id, used_at FROM public.refresh_tokens WHERE token_hash = $1 FOR UPDATE",
    )
    .bind(&hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((session_id, used_at)) = found else {
        return Ok(Rotation::Invalid);
    };
    let session: Option<Session> = sqlx::query_as(
        "SELECT id, user_id, tenant_id, created_at, expires_at, revoked_at
         FROM public.sessions
         WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()
         FOR UPDATE",
    )
    .bind(session_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(session) = session else {
        return Ok(Rotation::Invalid);
    };
    if used_at.is_some() {
        revoke(conn, session.id, RevokeReason::RefreshTokenReused).await?;
        return Ok(Rotation::Reused);
    }
    sqlx::query("UPDATE public.refresh_tokens SET used_at = now() WHERE token_hash = $1")
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE public.sessions SET last_used_at = now() WHERE id = $1")
        .bind(session.id)
        .execute(&mut *conn)
        .await?;
    let refresh_token = issue_token(conn, session.id).await?;
    Ok(Rotation::Rotated {
        session,
        refresh_token,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevokeReason {
    Logout,
    RefreshTokenReused,
    PasswordChanged,
    Deactivated,
    /// The owner of the mailbox proved it: whoever held a session before may not have been
    /// them.
    MailboxProven,
}

impl RevokeReason {
    fn as_str(self) -> &'static str {
        match self {
            RevokeReason::Logout => "logout",
            RevokeReason::RefreshTokenReused => "refresh_token_reused",
            RevokeReason::PasswordChanged => "password_changed",
            RevokeReason::Deactivated => "deactivated",
            RevokeReason::MailboxProven => "mailbox_proven",
        }
    }
}

/// Ends a session; its access tokens stop working at their next request.
pub async fn revoke(
    conn: &mut PgConnection,
    session_id: Uuid,
    reason: RevokeReason,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE public.sessions SET revoked_at = now(), revoked_reason = $2
         WHERE id = $1 AND revoked_at IS NULL",
    )
    .bind(session_id)
    .bind(reason.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Ends every session of a person, in one tenant or (with `None`) everywhere, except `keep`.
pub async fn revoke_all(
    conn: &mut PgConnection,
    user_id: Uuid,
    tenant_id: Option<Uuid>,
    keep: Option<Uuid>,
    reason: RevokeReason,
) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE public.sessions SET revoked_at = now(), revoked_reason = $4
         WHERE user_id = $1 AND revoked_at IS NULL
           AND ($2::uuid IS NULL OR tenant_id = $2)
           AND ($3::uuid IS NULL OR id <> $3)",
    )
    .bind(user_id)
    .bind(tenant_id)
    .bind(keep)
    .bind(reason.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Removes sessions expired or revoked for more than `keep`, and their tokens.
pub async fn prune(conn: &mut PgConnection, keep: Duration) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM public.sessions
         WHERE expires_at < now() - $1 OR revoked_at < now() - $1",
    )
    .bind(keep)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

async fn issue_token(conn: &mut PgConnection, session_id: Uuid) -> Result<String> {
    let (token, hash) = secret_token::generate();
    sqlx::query("INSERT INTO public.refresh_tokens (token_hash, session_id) VALUES ($1, $2)")
        .bind(hash)
        .bind(session_id)
        .execute(conn)
        .await?;
    Ok(token)
}

fn truncate(raw: &str, max: usize) -> &str {
    match raw.char_indices().nth(max) {
        Some((index, _)) => &raw[..index],
        None => raw,
    }
}
