//! Where attachment bytes live: a local directory by default, an S3-compatible store in
//! production, memory in tests. Keys are prefixed by tenant, so a tenant's files stay together
//! and can move with it.

pub use object_store;

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, PutPayload};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("no such file")]
    NotFound,
    #[error("storage: {0}")]
    Backend(#[from] object_store::Error),
    #[error("storage configuration: {0}")]
    Config(String),
}

/// S3 or any compatible store (MinIO, Ceph, Scaleway, OVH…).
#[derive(Debug, Clone)]
pub struct S3Settings {
    pub bucket: String,
    pub region: String,
    /// For compatible stores; unset for AWS.
    pub endpoint: Option<String>,
    pub access_key_id: SecretString,
    pub secret_access_key: SecretString,
}

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    description: String,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.description)
    }
}

/// What a stored file turned out to be.
#[derive(Debug, Clone)]
pub struct Stored {
    pub key: String,
    pub size_bytes: i64,
    pub sha256: String,
}

impl Storage {
    /// Files under `dir`, created if needed.
    pub fn local(dir: &Path) -> Result<Storage, StorageError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StorageError::Config(format!("creating {}: {e}", dir.display())))?;
        let store = LocalFileSystem::new_with_prefix(dir)?;
        Ok(Storage {
            store: Arc::new(store),
            description: format!("local directory {}", dir.display()),
        })
    }

    pub fn s3(settings: &S3Settings) -> Result<Storage, StorageError> {
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_access_key_id(settings.access_key_id.expose_secret())
            .with_secret_access_key(settings.secret_access_key.expose_secret());
        if let Some(endpoint) = &settings.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        Ok(Storage {
            store: Arc::new(builder.build()?),
            description: format!("S3 bucket {}", settings.bucket),
        })
    }

    /// Any other object store (a proxy, a store with its own policies, a test double).
    pub fn from_store(store: Arc<dyn ObjectStore>, description: impl Into<String>) -> Storage {
        Storage {
            store,
            description: description.into(),
        }
    }

    pub fn memory() -> Storage {
        Storage {
            store: Arc::new(InMemory::new()),
            description: "memory".into(),
        }
    }

    /// The key of a new attachment of a tenant.
    pub fn attachment_key(tenant_id: Uuid, attachment_id: Uuid) -> String {
        format!(
            "tenants/{}/attachments/{}",
            tenant_id.simple(),
            attachment_id.simple()
        )
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<Stored, StorageError> {
        let size_bytes = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        let sha256 = hex::encode(Sha256::digest(&bytes));
        self.store
            .put(&ObjectPath::from(key), PutPayload::from_bytes(bytes))
            .await?;
        Ok(Stored {
            key: key.to_owned(),
            size_bytes,
            sha256,
        })
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        match self.store.get(&ObjectPath::from(key)).await {
            Ok(result) => Ok(result.bytes().await?),
            Err(object_store::Error::NotFound { .. }) => Err(StorageError::NotFound),
            Err(other) => Err(other.into()),
        }
    }

    /// Deleting what is already gone is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(other) => Err(other.into()),
        }
    }
}

/// The file types people attach: photos and PDFs, recognised by their content (never by the
/// name or the type the client claims).
pub fn detect_content_type(bytes: &[u8]) -> Option<&'static str> {
    let kind = infer::get(bytes)?;
    match kind.mime_type() {
        mime @ ("image/jpeg" | "image/png" | "image/webp" | "image/gif" | "image/heif"
        | "image/avif" | "application/pdf") => Some(mime),
        _ => None,
    }
}

/// A file name safe to store and to send back in `Content-Disposition`: no path, no control
/// characters, at most 200 characters.
pub fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.');
    if trimmed.is_empty() {
        "file".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
    ];

    #[test]
    fn content_is_recognised_by_its_bytes() {
        assert_eq!(detect_content_type(PNG), Some("image/png"));
        assert_eq!(
            detect_content_type(b"%PDF-1.7\n%..."),
            Some("application/pdf")
        );
        assert_eq!(
            detect_content_type(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F']),
            Some("image/jpeg")
        );
        assert_eq!(detect_content_type(b"MZ\x90\x00 executable"), None);
        assert_eq!(detect_content_type(b"just text"), None);
        assert_eq!(detect_content_type(b""), None);
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\photos\\pompe 3.jpg"), "pompe 3.jpg");
        assert_eq!(clean_file_name("a\u{0}b\"c.pdf"), "abc.pdf");
        assert_eq!(clean_file_name(".."), "file");
        assert_eq!(clean_file_name(""), "file");
    }

    #[tokio::test]
    async fn local_and_memory_stores_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        for storage in [Storage::local(dir.path()).unwrap(), Storage::memory()] {
            let key = Storage::attachment_key(Uuid::now_v7(), Uuid::now_v7());
            let stored = storage.put(&key, Bytes::from_static(PNG)).await.unwrap();
            assert_eq!(stored.size_bytes, PNG.len() as i64);
            assert_eq!(stored.sha256.len(), 64);
            assert_eq!(storage.get(&key).await.unwrap(), Bytes::from_static(PNG));
            storage.delete(&key).await.unwrap();
            assert!(matches!(
                storage.get(&key).await,
                Err(StorageError::NotFound)
            ));
            storage.delete(&key).await.unwrap();
        }
    }
}
