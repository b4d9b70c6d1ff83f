//! Access tokens: short-lived JWTs (HS256) naming the person, their tenant and their session.
//! They are verified without the database; the session, tenant and membership behind them are
//! checked on every request (see `auth::Ctx`).

use std::time::Duration;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ApiError;

const ISSUER: &str = "gmao";
const AUDIENCE: &str = "gmao-api";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The identity.
    pub sub: Uuid,
    /// The tenant; absent for a platform operator's session without a company.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tid: Option<Uuid>,
    /// The session (refresh-token family) the token belongs to.
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    access_ttl: Duration,
}

impl TokenKeys {
    pub fn new(secret: &SecretString, access_ttl: Duration) -> TokenKeys {
        let bytes = secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 5;
        TokenKeys {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
            access_ttl,
        }
    }

    /// A new access token and its lifetime in seconds.
    pub fn issue(
        &self,
        user: Uuid,
        tenant: Option<Uuid>,
        session: Uuid,
    ) -> Result<(String, i64), ApiError> {
        let now = chrono::Utc::now().timestamp();
        let ttl = i64::try_from(self.access_ttl.as_secs()).unwrap_or(900);
        let claims = Claims {
            sub: user,
            tid: tenant,
            sid: session,
            iat: now,
            exp: now + ttl,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::internal(format!("signing an access token: {e}")))?;
        Ok((token, ttl))
    }

    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => ApiError::unauthorized("token_expired"),
                _ => ApiError::unauthorized("invalid_token"),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &str, ttl: u64) -> TokenKeys {
        TokenKeys::new(
            &SecretString::from(secret.to_owned()),
            Duration::from_secs(ttl),
        )
    }

    #[test]
    fn issued_tokens_verify_and_carry_their_claims() -> Result<(), ApiError> {
        let keys = keys("a-long-enough-test-secret-0123456789", 900);
        let (user, tenant, session) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let (token, ttl) = keys.issue(user, Some(tenant), session)?;
        assert_eq!(ttl, 900);
        let claims = keys.verify(&token)?;
        assert_eq!(
            (claims.sub, claims.tid, claims.sid),
            (user, Some(tenant), session)
        );
        Ok(())
    }

    #[test]
    fn foreign_garbage_and_expired_tokens_are_refused() -> Result<(), ApiError> {
        let ours = keys("a-long-enough-test-secret-0123456789", 900);
        let theirs = keys("another-secret-entirely-9876543210", 900);
        let (token, _) = theirs.issue(Uuid::now_v7(), None, Uuid::now_v7())?;
        assert_eq!(
            ours.verify(&token).err().map(|e| e.code),
            Some("invalid_token".into())
        );
        assert_eq!(
            ours.verify("garbage").err().map(|e| e.code),
            Some("invalid_token".into())
        );

        let claims = Claims {
            sub: Uuid::now_v7(),
            tid: None,
            sid: Uuid::now_v7(),
            iat: 1_000,
            exp: 2_000,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        let expired = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &ours.encoding)
            .map_err(ApiError::internal)?;
        assert_eq!(
            ours.verify(&expired).err().map(|e| e.code),
            Some("token_expired".into())
        );
        Ok(())
    }
}
