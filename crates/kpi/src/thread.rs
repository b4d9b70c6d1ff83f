//! Where computations run: Polars plans a query by recursion over its expression tree, and an
//! unoptimised build needs more stack for it than the runtime's threads have (2 MiB). Each
//! computation gets a thread of its own with room to spare. Callers bound how many they start,
//! but a caller that goes away (a cancelled request) leaves its thread running to its end, so
//! the number running is bounded here too.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Room for the deepest plan the engine builds, in any build.
const STACK_BYTES: usize = 64 * 1024 * 1024;
/// Computations running at once in a process, whoever started them.
pub const MAX_RUNNING: usize = 6;

static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// One running computation, counted until its thread ends.
struct Running;

impl Running {
    fn start() -> std::io::Result<Running> {
        if RUNNING.fetch_add(1, Ordering::SeqCst) >= MAX_RUNNING {
            RUNNING.fetch_sub(1, Ordering::SeqCst);
            return Err(std::io::Error::new(
                std::io::ErrorKind::WouldBlock,
                "too many computations running",
            ));
        }
        Ok(Running)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `work` on a thread of its own, off the async runtime, and waits for its result; fails
/// when [`MAX_RUNNING`] computations run already (`WouldBlock`), no thread could be started,
/// or the work panicked.
pub async fn run<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<T> {
    let running = Running::start()?;
    let (sender, receiver) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("gmao-kpi".into())
        .stack_size(STACK_BYTES)
        .spawn(move || {
            let _running = running;
            // The caller may have gone away; the result is then not wanted.
            let _ = sender.send(work());
        })?;
    receiver
        .await
        .map_err(|_| std::io::Error::other("the computation stopped before its end"))
}
