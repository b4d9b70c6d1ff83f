//! Password hashing with argon2id. Hashing is deliberately slow (tens of milliseconds of one
//! core, and 19 MiB), so it runs on the blocking thread pool instead of stalling the async
//! workers, a bounded number at a time ([`Hasher`]), and never while a database connection or
//! transaction is held: callers read what they need, release the connection, then hash.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;

/// A valid hash of a password nobody knows, verified when an email is unknown so that a
/// failed login takes the same time whether or not the account exists.
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1ETlHtHcsD6ybS5h6+n5nb6v9UiYSFwv4r+7sHChbOw";

/// Hashing, a bounded number at a time: a flood of logins queues here instead of taking every
/// core and gigabytes of memory. Cloning shares the bound.
#[derive(Debug, Clone)]
pub struct Hasher {
    permits: Arc<tokio::sync::Semaphore>,
    wait: Duration,
}

/// Why a hash was not computed.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every slot stayed taken for the whole wait: the server is overloaded.
    #[error("password hashing is saturated")]
    Busy,
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl Hasher {
    /// At most `concurrency` hashes at once; a caller waits up to `wait` for a slot.
    pub fn new(concurrency: usize, wait: Duration) -> Hasher {
        Hasher {
            permits: Arc::new(tokio::sync::Semaphore::new(concurrency.max(1))),
            wait,
        }
    }

    /// One slot per core, waiting up to ten seconds.
    pub fn per_core() -> Hasher {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Hasher::new(cores, Duration::from_secs(10))
    }

    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let _slot = self.slot().await?;
        Ok(hash(password).await?)
    }

    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, HashError> {
        let _slot = self.slot().await?;
        Ok(verify(password, hash).await?)
    }

    async fn slot(&self) -> Result<tokio::sync::SemaphorePermit<'_>, HashError> {
        match tokio::time::timeout(self.wait, self.permits.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(HashError::Busy),
        }
    }

    /// Takes every slot until the guard is dropped: tests use it to hold logins at the hashing
    /// step and look at what they hold meanwhile.
    pub async fn pause(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        let all = u32::try_from(self.permits.available_permits()).unwrap_or(u32::MAX);
        self.permits.acquire_many(all).await.ok()
    }
}

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
