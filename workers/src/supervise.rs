//! Keeps one apalis worker running until shutdown, and stops it gracefully.
//!
//! An apalis worker ends with an error when its backend fails (a lost database, a failed
//! heartbeat); it is then rebuilt, under a new name, after a growing pause. At shutdown the
//! worker is told to stop (apalis's graceful stop: no new fetches, in-flight jobs finish,
//! fetched-but-unstarted jobs go back to the queue); after the grace period it is dropped,
//! which cancels its jobs, and they are put back in the queue for another worker.
//!
//! Jobs run as futures inside the worker (no `parallelize(tokio::spawn)`): dropping the worker
//! is what makes it safe to give its jobs to someone else.

use std::time::{Duration, Instant};

use apalis::layers::retry::backoff::{ExponentialBackoffMaker, MakeBackoff};
use apalis::layers::retry::{HasherRng, RetryPolicy};
use apalis::prelude::{
    BoxDynError, Data, Event, EventListenerExt, WorkerBuilder, WorkerBuilderExt, WorkerContext,
    WorkerError,
};
use apalis_postgres::PostgresStorage;
use futures::FutureExt;
use futures::future::BoxFuture;
use sqlx::PgPool;
use uuid::Uuid;

use crate::Pause;
use crate::queue::{Job, release_abandoned};
use crate::stop::Stop;

/// A job handler: the job and what the queue's jobs share (the pool, a mailer…), to a boxed
/// future (so one factory serves all).
pub(crate) type Handler<J, C> = fn(J, Data<C>) -> BoxFuture<'static, Result<(), BoxDynError>>;

/// Builds the worker of `J`'s queue: retries with back-off, a timeout per run, `concurrency`
/// jobs at once, each handed `shared`. Called again for each restart.
pub(crate) fn factory<J: Job, C: Clone + Send + Sync + 'static>(
    pool: PgPool,
    concurrency: usize,
    shared: C,
    handler: Handler<J, C>,
) -> anyhow::Result<WorkerFactory> {
    // Retries in the process, spaced out (a database hiccup often passes). With the first run
    // they use the whole MAX_ATTEMPTS budget, so a job that keeps failing ends failed for good
    // rather than being fetched again at once by apalis.
    let backoff = ExponentialBackoffMaker::new(
        Duration::from_secs(2),
        Duration::from_secs(120),
        0.5,
        HasherRng::default(),
    )
    .map_err(|error| anyhow::anyhow!("{} retry back-off: {error:?}", J::QUEUE))?;
    Ok(Box::new(move |context| {
        let storage =
            PostgresStorage::<J>::new(&pool).with_config(crate::queue::config::<J>(concurrency));
        let retry = RetryPolicy::retries(J::MAX_ATTEMPTS.saturating_sub(1))
            .with_backoff(backoff.clone().make_backoff());
        WorkerBuilder::new(context)
            .backend(storage)
            .on_event(log_event)
            // Outermost, as apalis asks: a job holds its slot through its retries, so retries
            // do not multiply the jobs running at once.
            .concurrency(concurrency)
            .retry(retry)
            // Innermost: each run gets the whole timeout.
            .timeout(J::TIMEOUT)
            .data(shared.clone())
            .build(handler)
            .run()
            .boxed()
    }))
}

pub(crate) type WorkerFactory =
    Box<dyn Fn(&WorkerContext) -> BoxFuture<'static, Result<(), WorkerError>> + Send + Sync>;

pub(crate) struct Options {
    pub queue: &'static str,
    pub grace: Duration,
}

/// A worker that ran this long is considered healthy: the next failure starts the pauses over.
const HEALTHY_AFTER: Duration = Duration::from_secs(60);

pub(crate) async fn supervise(pool: PgPool, factory: WorkerFactory, options: Options, stop: Stop) {
    let Options { queue, grace } = options;
    // apalis keys workers by name and refuses a name that a live session still holds, so every
    // run gets its own; the middle part, one per process, groups them in `apalis.workers`.
    let process = Uuid::now_v7().simple().to_string();
    let mut pause = Pause::new(Duration::from_secs(1), Duration::from_secs(60));
    for run in 0u64.. {
        let name = format!("{queue}-{process}-{run}");
        let context = WorkerContext::new(&name);
        let mut worker = factory(&context);
        let started = Instant::now();
        tokio::select! {
            ended = &mut worker => {
                drop(worker);
                match ended {
                    Ok(()) => tracing::warn!(worker = %name, "worker stopped on its own; restarting it"),
                    Err(error) => tracing::error!(worker = %name, %error, "worker failed; restarting it"),
                }
                release(&pool, &name).await;
                if started.elapsed() >= HEALTHY_AFTER {
                    pause.reset();
                }
                let delay = pause.next_delay();
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    _ = stop.wait() => return,
                }
            }
            _ = stop.wait() => {
                drain(&pool, &name, &context, worker, grace).await;
                return;
            }
        }
    }
}

/// Graceful stop within `grace`, then whatever the worker still holds goes back to the queue.
async fn drain(
    pool: &PgPool,
    name: &str,
    context: &WorkerContext,
    worker: BoxFuture<'static, Result<(), WorkerError>>,
    grace: Duration,
) {
    if context.stop().is_err() {
        // Never polled, so it never fetched anything.
        tracing::debug!(worker = %name, "worker stopped before it started");
        return;
    }
    tracing::info!(worker = %name, in_flight = context.task_count(), ?grace, "stopping worker");
    match tokio::time::timeout(grace, worker).await {
        Ok(Ok(())) => tracing::info!(worker = %name, "worker stopped"),
        Ok(Err(error)) => tracing::warn!(worker = %name, %error, "worker failed while stopping"),
        Err(_) => tracing::warn!(
            worker = %name,
            ?grace,
            "jobs still running after the grace period; cancelling them"
        ),
    }
    // Also covers jobs apalis fetched while being told to stop (it drops that fetch).
    release(pool, name).await;
}

async fn release(pool: &PgPool, worker: &str) {
    match release_abandoned(pool, worker).await {
        Ok(0) => {}
        Ok(count) => tracing::info!(worker, count, "jobs put back in the queue"),
        // apalis's heartbeat puts them back once this worker is seen dead.
        Err(error) => {
            tracing::warn!(worker, error = %format!("{error:#}"), "could not put jobs back in the queue")
        }
    }
}

/// Worker events worth a log line. Failed runs are logged by the job itself, with their cause
/// chain; this adds which worker saw them.
pub(crate) fn log_event(context: &WorkerContext, event: &Event) {
    match event {
        Event::Error(error) => tracing::debug!(worker = context.name(), %error, "job run failed"),
        Event::Start => tracing::debug!(worker = context.name(), "worker running"),
        Event::Exit => tracing::debug!(worker = context.name(), "worker exited"),
        _ => tracing::trace!(worker = context.name(), ?event, "worker event"),
    }
}
