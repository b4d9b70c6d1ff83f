//! The caller's shutdown future, made shareable: the migration wait, the supervisor and its
//! back-off pauses all need to notice it.

use std::future::Future;

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};

#[derive(Clone)]
pub(crate) struct Stop(Shared<BoxFuture<'static, ()>>);

impl Stop {
    pub(crate) fn new(shutdown: impl Future<Output = ()> + Send + 'static) -> Stop {
        Stop(shutdown.boxed().shared())
    }

    /// Completes once shutdown was requested (at once if it already was).
    pub(crate) async fn wait(&self) {
        self.0.clone().await;
    }
}
