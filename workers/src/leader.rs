//! Leader election: the replica holding a session advisory lock is the leader.
//!
//! The lock lives on a dedicated connection opened for it, never a pooled one: a session lock
//! belongs to the backend session, so it must outlive transactions and must not go back to a
//! pool (or through a transaction pooler such as PgBouncer in transaction mode, which would
//! hand the session to someone else).
//!
//! PostgreSQL releases the lock when the session ends, so a replica that crashes or loses its
//! connection stops being the leader as far as the others are concerned. This side notices by
//! pinging its connection every [`DEFAULT_INTERVAL`]; between the server dropping a session and
//! the next ping, two replicas may both believe they lead. Leadership only avoids duplicate
//! work; correctness comes from idempotency keys.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{Connection, PgPool};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How often a follower tries to take the lock, and a leader checks its connection.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(3);

/// Longest wait for connecting or for one query; a connection that takes longer is treated as
/// broken (it may be half-open, with the server long gone).
const QUERY_TIMEOUT: Duration = Duration::from_secs(5);

/// Campaigns in the background for the lock `key` until [`LeaderElection::stop`] (or drop).
#[derive(Debug)]
pub struct LeaderElection {
    key: i64,
    leader: watch::Receiver<bool>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl LeaderElection {
    /// Starts campaigning on a dedicated connection made with the pool's connect options.
    pub fn start(pool: &PgPool, key: i64, interval: Duration) -> LeaderElection {
        let options = pool
            .connect_options()
            .as_ref()
            .clone()
            .application_name("gmao-leader");
        let (leader_tx, leader) = watch::channel(false);
        let (stop, stop_rx) = watch::channel(false);
        let task = tokio::spawn(campaign(options, key, interval, leader_tx, stop_rx));
        LeaderElection {
            key,
            leader,
            stop,
            task: Some(task),
        }
    }

    /// Whether this process holds the lock, as of the last check.
    pub fn is_leader(&self) -> bool {
        *self.leader.borrow()
    }

    /// Follows leadership changes (for gating work, or waiting to become leader in tests).
    pub fn watch(&self) -> watch::Receiver<bool> {
        self.leader.clone()
    }

    pub fn key(&self) -> i64 {
        self.key
    }

    /// Steps down: stops reporting leadership first, then releases the lock and closes the
    /// connection, so that another replica can take over at once.
    pub async fn stop(mut self) {
        self.stop.send_replace(true);
        if let Some(task) = self.task.take()
            && let Err(error) = task.await
        {
            tracing::warn!(%error, "the leader election task ended abnormally");
        }
    }
}

impl Drop for LeaderElection {
    /// Without [`LeaderElection::stop`], the connection is dropped and PostgreSQL releases the
    /// lock when it notices the session is gone.
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

async fn campaign(
    options: PgConnectOptions,
    key: i64,
    interval: Duration,
    leader: watch::Sender<bool>,
    mut stop: watch::Receiver<bool>,
) {
    let mut conn: Option<PgConnection> = None;
    // Whether the last attempt to reach the server failed: report the failure once, then quietly
    // retry until it recovers.
    let mut unreachable = false;
    loop {
        let leading = *leader.borrow();
        match round(&options, key, leading, &mut conn).await {
            Ok(now_leading) => {
                if unreachable {
                    tracing::info!(key, "leader election: database reachable again");
                    unreachable = false;
                }
                if now_leading && !leading {
                    tracing::info!(key, "this replica is now the leader");
                } else if !now_leading {
                    tracing::trace!(key, "another replica is the leader");
                }
                leader.send_if_modified(|current| {
                    std::mem::replace(current, now_leading) != now_leading
                });
            }
            Err(error) => {
                // Whatever went wrong, the session (and so the lock) can no longer be trusted:
                // stop leading before anything else, and start again on a fresh connection.
                leader.send_if_modified(|current| std::mem::replace(current, false));
                conn = None;
                let error = format!("{error:#}");
                if leading {
                    tracing::warn!(key, %error, "lost leadership: connection to the database broken");
                } else if !unreachable {
                    tracing::warn!(key, %error, "leader election cannot reach the database; retrying");
                } else {
                    tracing::debug!(key, %error, "leader election still cannot reach the database");
                }
                unreachable = true;
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = stop.wait_for(|stop| *stop) => break,
        }
    }
    step_down(key, &leader, conn).await;
}

/// One check. A follower tries to take the lock; a leader makes sure its session is alive (a
/// session lock only goes away with the session, or if this code released it).
async fn round(
    options: &PgConnectOptions,
    key: i64,
    leading: bool,
    conn: &mut Option<PgConnection>,
) -> anyhow::Result<bool> {
    let connection = match conn {
        Some(connection) => connection,
        None => {
            let fresh = tokio::time::timeout(QUERY_TIMEOUT, PgConnection::connect_with(options))
                .await
                .map_err(|_| anyhow::anyhow!("connecting timed out after {QUERY_TIMEOUT:?}"))??;
            conn.insert(fresh)
        }
    };
    let check = async {
        if leading {
            sqlx::query("SELECT 1").execute(&mut *connection).await?;
            Ok::<_, sqlx::Error>(true)
        } else {
            sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                .bind(key)
                .fetch_one(&mut *connection)
                .await
        }
    };
    Ok(tokio::time::timeout(QUERY_TIMEOUT, check)
        .await
        .map_err(|_| anyhow::anyhow!("no answer within {QUERY_TIMEOUT:?}"))??)
}

async fn step_down(key: i64, leader: &watch::Sender<bool>, conn: Option<PgConnection>) {
    let was_leading = leader.send_replace(false);
    let Some(mut conn) = conn else { return };
    if was_leading {
        let unlock = sqlx::query_scalar::<_, bool>("SELECT pg_advisory_unlock($1)")
            .bind(key)
            .fetch_one(&mut conn);
        match tokio::time::timeout(QUERY_TIMEOUT, unlock).await {
            Ok(Ok(_)) => tracing::info!(key, "stepped down as leader"),
            // Closing (or dropping) the connection below releases the lock anyway.
            Ok(Err(error)) => tracing::warn!(key, %error, "releasing the leader lock"),
            Err(_) => tracing::warn!(key, "releasing the leader lock timed out"),
        }
    }
    if let Ok(Err(error)) = tokio::time::timeout(QUERY_TIMEOUT, conn.close()).await {
        tracing::debug!(%error, "closing the leader connection");
    }
}
