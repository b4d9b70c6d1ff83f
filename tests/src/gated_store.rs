//! An object store that holds every write at a gate until the test opens it: to look at what
//! an upload holds (connections, locks) while its bytes travel to the storage.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use futures::stream::BoxStream;
use gmao_storage::object_store::memory::InMemory;
use gmao_storage::object_store::path::Path;
use gmao_storage::object_store::{
    GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta, ObjectStore,
    PutMultipartOptions, PutOptions, PutPayload, PutResult, Result,
};
use tokio::sync::{Notify, RwLock, RwLockWriteGuard};

/// Writes wait while the gate is closed; `arrived` wakes when one reaches it.
#[derive(Debug, Clone, Default)]
pub struct Gate {
    lock: Arc<RwLock<()>>,
    arrived: Arc<Notify>,
}

impl Gate {
    /// Closes the gate until the guard is dropped.
    pub async fn close(&self) -> RwLockWriteGuard<'_, ()> {
        self.lock.write().await
    }

    /// Waits until a write reached the gate.
    pub async fn arrived(&self) {
        self.arrived.notified().await;
    }
}

#[derive(Debug)]
pub struct GatedStore {
    inner: InMemory,
    gate: Gate,
}

impl GatedStore {
    pub fn new(gate: Gate) -> GatedStore {
        GatedStore {
            inner: InMemory::new(),
            gate,
        }
    }
}

impl fmt::Display for GatedStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("gated memory")
    }
}

#[async_trait]
impl ObjectStore for GatedStore {
    async fn put_opts(
        &self,
        location: &Path,
        payload: PutPayload,
        opts: PutOptions,
    ) -> Result<PutResult> {
        self.gate.arrived.notify_one();
        let _open = self.gate.lock.read().await;
        self.inner.put_opts(location, payload, opts).await
    }

    async fn put_multipart_opts(
        &self,
        location: &Path,
        opts: PutMultipartOptions,
    ) -> Result<Box<dyn MultipartUpload>> {
        self.inner.put_multipart_opts(location, opts).await
    }

    async fn get_opts(&self, location: &Path, options: GetOptions) -> Result<GetResult> {
        self.inner.get_opts(location, options).await
    }

    async fn delete(&self, location: &Path) -> Result<()> {
        self.inner.delete(location).await
    }

    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, Result<ObjectMeta>> {
        self.inner.list(prefix)
    }

    async fn list_with_delimiter(&self, prefix: Option<&Path>) -> Result<ListResult> {
        self.inner.list_with_delimiter(prefix).await
    }

    async fn copy(&self, from: &Path, to: &Path) -> Result<()> {
        self.inner.copy(from, to).await
    }

    async fn copy_if_not_exists(&self, from: &Path, to: &Path) -> Result<()> {
        self.inner.copy_if_not_exists(from, to).await
    }
}
