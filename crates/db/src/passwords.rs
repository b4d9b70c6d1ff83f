//! Password hashing with argon2id. Hashing is deliberately slow, so it runs on the blocking
//! thread pool instead of stalling the async workers.

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;

/// A valid hash of a password nobody knows, verified when an email is unknown so that a
/// failed login takes the same time whether or not the account exists.
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1ETlHtHcsD6ybS5h6+n5nb6v9UiYSFwv4r+7sHChbOw";

pub async fn hash(password: &str) -> anyhow::Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await
    .context("password hashing task")?
}

/// `true` when `password` matches `hash`. A malformed stored hash counts as a mismatch (and is
/// logged), never as an error shown to the person logging in.
pub async fn verify(password: &str, hash: Option<&str>) -> anyhow::Result<bool> {
    let password = password.to_owned();
    let known = hash.is_some();
    let hash = hash.unwrap_or(DECOY_HASH).to_owned();
    let matches = tokio::task::spawn_blocking(move || match PasswordHash::new(&hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(error) => {
            tracing::error!(%error, "a stored password hash is malformed");
            false
        }
    })
    .await
    .context("password verification task")?;
    Ok(known && matches)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ_by_salt() -> anyhow::Result<()> {
        let first = hash("Roulement-42-graisse").await?;
        let second = hash("Roulement-42-graisse").await?;
        assert_ne!(first, second);
        assert!(first.starts_with("$argon2id$"));
        assert!(verify("Roulement-42-graisse", Some(&first)).await?);
        assert!(!verify("roulement-42-graisse", Some(&first)).await?);
        assert!(!verify("anything", None).await?);
        assert!(!verify("anything", Some("not a hash")).await?);
        Ok(())
    }
}
