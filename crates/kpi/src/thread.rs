//! Where computations run: Polars plans a query by recursion over its expression tree, and an
//! unoptimised build needs more stack for it than the runtime's threads have (2 MiB). Each
//! computation gets a thread of its own with room to spare; callers bound how many run at once.

/// Room for the deepest plan the engine builds, in any build.
const STACK_BYTES: usize = 64 * 1024 * 1024;

/// Runs `work` on a thread of its own, off the async runtime, and waits for its result; fails
/// only when no thread could be started or the work panicked.
pub async fn run<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<T> {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("gmao-kpi".into())
        .stack_size(STACK_BYTES)
        .spawn(move || {
            // The caller may have gone away; the result is then not wanted.
            let _ = sender.send(work());
        })?;
    receiver
        .await
        .map_err(|_| std::io::Error::other("the computation stopped before its end"))
}
