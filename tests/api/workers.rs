//! The worker crate against a real PostgreSQL: idempotent enqueues, housekeeping, leader
//! election, scheduled runs and shutdown. One test creates a blank database.
//!
//! Tests take a shared lock, so that one test's worker does not run housekeeping in the middle
//! of another test's counts.

// A failed unwrap is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::str::FromStr;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, TimeZone, Utc};
use gmao_db::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use gmao_db::sqlx::{Connection, PgConnection, PgPool};
use gmao_workers::housekeeping::{self, Housekeeping};
use gmao_workers::queue::{self, Enqueued, Job};
use gmao_workers::{LeaderElection, WorkerSettings};
use tokio::sync::{Mutex, MutexGuard};
use uuid::Uuid;

static SERIAL: Mutex<()> = Mutex::const_new(());

fn url() -> String {
    use secrecy::ExposeSecret;
    gmao_tests::database_url().expose_secret().to_owned()
}

/// Logs only on demand: `TEST_LOG=debug`.
fn init_logs() {
    if let Ok(filter) = std::env::var("TEST_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_test_writer()
            .try_init();
    }
}

/// A pool on the test database with the control plane and the job queue migrated.
async fn database() -> (PgPool, MutexGuard<'static, ()>) {
    init_logs();
    let guard = SERIAL.lock().await;
    let pool = PgPoolOptions::new()
        .max_connections(10)
        .connect(&url())
        .await
        .unwrap();
    gmao_db::migrate::migrate_public(&pool).await.unwrap();
    gmao_workers::setup(&pool).await.unwrap();
    (pool, guard)
}

/// A lock key no other test or installation uses, with both 32-bit halves non-zero.
fn random_key() -> i64 {
    (Uuid::new_v4().as_u128() as i64 & 0x3FFF_FFFF_7FFF_FFFF) | 0x0100_0000_0000_0001
}

async fn lock_holder(pool: &PgPool, key: i64) -> Option<i32> {
    gmao_db::sqlx::query_scalar(
        "SELECT pid FROM pg_locks
         WHERE locktype = 'advisory' AND granted AND objsubid = 1
           AND classid::bigint = $1 AND objid::bigint = $2",
    )
    .bind(key >> 32)
    .bind(key & 0xFFFF_FFFF)
    .fetch_optional(pool)
    .await
    .unwrap()
}

async fn wait_until(what: &str, limit: Duration, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_duplicate_idempotency_key_is_already_queued() {
    let (pool, _serial) = database().await;
    // A minute far in the future that no other run uses.
    let minutes = (Uuid::new_v4().as_u128() % 10_000_000) as i64;
    let tick = Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0).unwrap() + TimeDelta::minutes(minutes);
    let job = Housekeeping { tick };
    let key = job.idempotency_key();

    let mut replica_a = queue::storage::<Housekeeping>(&pool);
    let mut replica_b = queue::storage::<Housekeeping>(&pool);
    assert_eq!(
        queue::enqueue(&mut replica_a, job.clone(), &key)
            .await
            .unwrap(),
        Enqueued::Queued
    );
    assert_eq!(
        queue::enqueue(&mut replica_a, job.clone(), &key)
            .await
            .unwrap(),
        Enqueued::AlreadyQueued
    );
    // Another replica, a few hundred milliseconds later in the same minute.
    let later = Housekeeping {
        tick: tick + TimeDelta::milliseconds(700),
    };
    assert_eq!(later.idempotency_key(), key);
    assert_eq!(
        queue::enqueue(&mut replica_b, later, &key).await.unwrap(),
        Enqueued::AlreadyQueued
    );

    let rows: Vec<(String, i32)> = gmao_db::sqlx::query_as(
        "SELECT status, max_attempts FROM apalis.jobs WHERE job_type = $1 AND idempotency_key = $2",
    )
    .bind(Housekeeping::QUEUE)
    .bind(key.as_str())
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        rows,
        [("Pending".to_owned(), Housekeeping::MAX_ATTEMPTS as i32)]
    );

    // Not a job we want run: it belongs to 2100.
    gmao_db::sqlx::query("DELETE FROM apalis.jobs WHERE job_type = $1 AND idempotency_key = $2")
        .bind(Housekeeping::QUEUE)
        .bind(key.as_str())
        .execute(&pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn housekeeping_deletes_finished_jobs_older_than_a_week_and_whole_attempt_budgets() {
    let (pool, _serial) = database().await;
    let queue_name = format!("test-prune-{}", Uuid::new_v4().simple());
    // (name, status, attempts, max_attempts, age in days, done_at set)
    let cases = [
        ("old-done", "Done", 1, 3, 8, true),
        ("old-killed", "Killed", 1, 3, 8, true),
        ("old-failed-for-good", "Failed", 3, 3, 8, true),
        ("old-done-without-done-at", "Done", 1, 3, 8, false),
        ("old-failed-retry-left", "Failed", 1, 3, 8, true),
        ("old-pending", "Pending", 0, 3, 8, false),
        ("old-running", "Running", 1, 3, 8, false),
        ("recent-done", "Done", 1, 3, 2, true),
        ("recent-failed-for-good", "Failed", 3, 3, 2, true),
    ];
    for (name, status, attempts, max_attempts, age_days, done) in cases {
        gmao_db::sqlx::query(
            "INSERT INTO apalis.jobs
                 (id, job_type, job, status, attempts, max_attempts, run_at, done_at, idempotency_key)
             VALUES ($1, $2, '\\x7b7d', $3, $4, $5, now() - make_interval(days => $6),
                     CASE WHEN $7 THEN now() - make_interval(days => $6) END, $8)",
        )
        .bind(Uuid::new_v4().simple().to_string())
        .bind(&queue_name)
        .bind(status)
        .bind(attempts)
        .bind(max_attempts)
        .bind(age_days)
        .bind(done)
        .bind(name)
        .execute(&pool)
        .await
        .unwrap();
    }
    // One budget whole again (its next attempt time has passed), one still spent.
    let (whole, spent) = (Uuid::new_v4(), Uuid::new_v4());
    for (key, minutes) in [(whole, -5), (spent, 10)] {
        gmao_db::sqlx::query(
            "INSERT INTO public.throttles (key, tat) VALUES ($1, now() + make_interval(mins => $2))",
        )
        .bind(key.as_bytes().to_vec())
        .bind(minutes)
        .execute(&pool)
        .await
        .unwrap();
    }

    let report = housekeeping::run_once(&pool).await.unwrap();
    assert!(report.jobs_pruned >= 4, "{report:?}");
    assert!(report.throttles_pruned >= 1, "{report:?}");

    let mut left: Vec<String> =
        gmao_db::sqlx::query_scalar("SELECT idempotency_key FROM apalis.jobs WHERE job_type = $1")
            .bind(&queue_name)
            .fetch_all(&pool)
            .await
            .unwrap();
    left.sort();
    assert_eq!(
        left,
        [
            "old-failed-retry-left",
            "old-pending",
            "old-running",
            "recent-done",
            "recent-failed-for-good"
        ]
    );
    let budgets: Vec<Vec<u8>> =
        gmao_db::sqlx::query_scalar("SELECT key FROM public.throttles WHERE key = ANY($1)")
            .bind(vec![whole.as_bytes().to_vec(), spent.as_bytes().to_vec()])
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(budgets, vec![spent.as_bytes().to_vec()]);

    // The keys of deleted jobs are free again.
    let mut storage = apalis_postgres::PostgresStorage::<Housekeeping>::new(&pool)
        .with_config(apalis_postgres::Config::default().queue(&queue_name));
    let job = Housekeeping { tick: Utc::now() };
    let freed = gmao_workers::IdempotencyKey::for_tick("old-done", Utc::now());
    assert_eq!(
        queue::enqueue(&mut storage, job, &freed).await.unwrap(),
        Enqueued::Queued
    );
    gmao_db::sqlx::query("DELETE FROM apalis.jobs WHERE job_type = $1")
        .bind(&queue_name)
        .execute(&pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn two_elections_on_the_same_key_never_both_lead() {
    let (pool, _serial) = database().await;
    let key = random_key();
    let every = Duration::from_millis(100);
    let a = LeaderElection::start(&pool, key, every);
    let b = LeaderElection::start(&pool, key, every);

    // One of them wins, and for a while they never both claim it.
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut leaders_seen = std::collections::HashSet::new();
    while Instant::now() < deadline {
        let (la, lb) = (a.is_leader(), b.is_leader());
        assert!(!(la && lb), "both elections claim leadership");
        if la {
            leaders_seen.insert("a");
        }
        if lb {
            leaders_seen.insert("b");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(
        leaders_seen.len(),
        1,
        "exactly one stable leader: {leaders_seen:?}"
    );
    let (leader, follower) = if a.is_leader() { (a, b) } else { (b, a) };
    assert!(lock_holder(&pool, key).await.is_some());

    // Stepping down hands over at once (on the follower's next try).
    leader.stop().await;
    let mut follower_watch = follower.watch();
    tokio::time::timeout(Duration::from_secs(5), follower_watch.wait_for(|l| *l))
        .await
        .expect("the follower takes over")
        .unwrap();

    // A broken connection: the server ends the leader's session. It stops claiming leadership,
    // then campaigns again on a fresh connection, against a third candidate.
    let third = LeaderElection::start(&pool, key, every);
    let pid = lock_holder(&pool, key)
        .await
        .expect("someone holds the lock");
    let killed: bool = gmao_db::sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(pid)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(killed);
    tokio::time::timeout(Duration::from_secs(5), follower_watch.wait_for(|l| !*l))
        .await
        .expect("the old leader notices it lost the lock")
        .unwrap();
    wait_until(
        "a new leader holds the lock",
        Duration::from_secs(5),
        async || {
            follower.is_leader() != third.is_leader()
                && lock_holder(&pool, key).await.is_some_and(|p| p != pid)
        },
    )
    .await;

    follower.stop().await;
    third.stop().await;
    assert_eq!(
        lock_holder(&pool, key).await,
        None,
        "stopping releases the lock"
    );
}

#[tokio::test]
async fn the_worker_runs_scheduled_housekeeping_and_stops_cleanly() {
    // A whole worker: on a database of its own, or it would deliver other tests' mails.
    let scratch = gmao_tests::ScratchDatabase::create("worker").await;
    let pool = scratch.pool.clone();
    let outbox = tempfile::tempdir().unwrap();
    let key = random_key();
    let mut mail = WorkerSettings::default().mail;
    mail.outbox_dir = outbox.path().to_path_buf();
    let settings = WorkerSettings {
        mail,
        concurrency: 2,
        // Every second: the scheduler fires 60 times a minute, one job per minute is queued.
        housekeeping_cron: "* * * * * *".to_owned(),
        // Not in this test's window.
        pm_sweep_cron: "0 0 0 1 1 *".to_owned(),
        leader_lock_key: key,
        shutdown_grace: Duration::from_secs(5),
        ..WorkerSettings::default()
    };
    let started = Utc::now();
    let keys: Vec<String> = (0..3)
        .map(|m| {
            Housekeeping {
                tick: started + TimeDelta::minutes(m),
            }
            .idempotency_key()
            .to_string()
        })
        .collect();
    // Keys are global: a run of this test earlier in the same minute would have taken them.
    gmao_db::sqlx::query(
        "DELETE FROM apalis.jobs WHERE job_type = 'housekeeping' AND idempotency_key = ANY($1)",
    )
    .bind(&keys)
    .execute(&pool)
    .await
    .unwrap();

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(gmao_workers::run(pool.clone(), settings, async move {
        let _ = stopped.await;
    }));
    wait_until(
        "a scheduled housekeeping job is done",
        Duration::from_secs(40),
        async || {
            let done: i64 = gmao_db::sqlx::query_scalar(
                "SELECT count(*) FROM apalis.jobs
             WHERE job_type = 'housekeeping' AND idempotency_key = ANY($1) AND status = 'Done'",
            )
            .bind(&keys)
            .fetch_one(&pool)
            .await
            .unwrap();
            done >= 1
        },
    )
    .await;
    // Let the scheduler fire a few more times within the minute: still one job per minute.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let per_minute: Vec<(String, i64)> = gmao_db::sqlx::query_as(
        "SELECT idempotency_key, count(*) FROM apalis.jobs
         WHERE job_type = 'housekeeping' AND idempotency_key = ANY($1) GROUP BY 1",
    )
    .bind(&keys)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(per_minute.iter().all(|(_, n)| *n == 1), "{per_minute:?}");
    assert!(
        lock_holder(&pool, key).await.is_some(),
        "the only replica leads"
    );

    let asked = Instant::now();
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), worker)
        .await
        .expect("run returns after shutdown")
        .unwrap()
        .unwrap();
    assert!(
        asked.elapsed() < Duration::from_secs(10),
        "stopped in {:?}",
        asked.elapsed()
    );
    assert_eq!(lock_holder(&pool, key).await, None, "leadership released");
    let held: i64 = gmao_db::sqlx::query_scalar(
        "SELECT count(*) FROM apalis.jobs
         WHERE job_type = 'housekeeping' AND status IN ('Queued', 'Running')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(held, 0, "no job left locked by the stopped worker");
    scratch.drop().await;
}

#[tokio::test]
async fn a_job_still_running_after_the_grace_period_goes_back_to_the_queue() {
    let (pool, _serial) = database().await;
    // Housekeeping blocks on its first table while another session holds it locked.
    let mut blocker = pool.begin().await.unwrap();
    gmao_db::sqlx::query("LOCK TABLE public.sessions IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *blocker)
        .await
        .unwrap();
    let minutes = (Uuid::new_v4().as_u128() % 10_000_000) as i64;
    let job = Housekeeping {
        tick: Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0).unwrap() + TimeDelta::minutes(minutes),
    };
    let key = job.idempotency_key();
    let mut storage = queue::storage::<Housekeeping>(&pool);
    assert_eq!(
        queue::enqueue(&mut storage, job, &key).await.unwrap(),
        Enqueued::Queued
    );

    let settings = WorkerSettings {
        // Never within the test.
        housekeeping_cron: "0 0 0 1 1 *".to_owned(),
        leader_lock_key: random_key(),
        shutdown_grace: Duration::from_secs(1),
        ..WorkerSettings::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(gmao_workers::run(pool.clone(), settings, async move {
        let _ = stopped.await;
    }));
    let status = async || -> (String, i32, Option<String>) {
        gmao_db::sqlx::query_as("SELECT status, attempts, lock_by FROM apalis.jobs WHERE job_type = $1 AND idempotency_key = $2")
            .bind(Housekeeping::QUEUE)
            .bind(key.as_str())
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    wait_until("the job runs", Duration::from_secs(20), async || {
        status().await.0 == "Running"
    })
    .await;

    let asked = Instant::now();
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), worker)
        .await
        .expect("run returns after the grace period")
        .unwrap()
        .unwrap();
    assert!(
        asked.elapsed() < Duration::from_secs(4),
        "stopped in {:?}",
        asked.elapsed()
    );
    // The interrupted run counts as an attempt; the job waits for another worker.
    assert_eq!(status().await, ("Pending".to_owned(), 1, None));

    blocker.rollback().await.unwrap();
    gmao_db::sqlx::query("DELETE FROM apalis.jobs WHERE job_type = $1 AND idempotency_key = $2")
        .bind(Housekeeping::QUEUE)
        .bind(key.as_str())
        .execute(&pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_worker_waits_for_the_control_plane_and_still_honours_shutdown() {
    init_logs();
    let _serial = SERIAL.lock().await;
    let admin_options = PgConnectOptions::from_str(&url()).unwrap();
    let mut admin = PgConnection::connect_with(&admin_options).await.unwrap();
    let name = format!("gmao_blank_{}", Uuid::new_v4().simple());
    gmao_db::sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap();

    let blank = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(admin_options.clone().database(&name))
        .await
        .unwrap();
    let asked = Instant::now();
    let result = gmao_workers::run(
        blank.clone(),
        WorkerSettings::default(),
        tokio::time::sleep(Duration::from_millis(1500)),
    )
    .await;
    assert!(result.is_ok(), "{result:?}");
    assert!(
        asked.elapsed() < Duration::from_secs(3),
        "returned in {:?}",
        asked.elapsed()
    );
    let apalis: bool = gmao_db::sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'apalis')",
    )
    .fetch_one(&blank)
    .await
    .unwrap();
    assert!(
        !apalis,
        "nothing was set up before the control plane was migrated"
    );
    blank.close().await;
    gmao_db::sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap();
}
