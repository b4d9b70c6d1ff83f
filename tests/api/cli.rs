//! The `gmao` binary end to end: embedded database, tenant commands, serve and graceful
//! shutdown, configuration errors.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The `gmao` binary next to this test binary (`target/<profile>/gmao`); `scripts/test` builds
/// it before the tests run.
fn gmao_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| panic!("no target dir"));
    let binary = profile_dir.join("gmao");
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build -p gmao` first (scripts/test does)",
        binary.display()
    );
    binary
}

/// A data directory the unprivileged `postgres` user can reach when the tests run as root.
fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("gmao-cli-")
        .tempdir()
        .unwrap_or_else(|e| panic!("{e}"));
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn gmao(dir: &Path) -> Command {
    let mut command = Command::new(gmao_binary());
    command
        .arg("--data-dir")
        .arg(dir)
        .env_remove("GMAO_DATABASE_URL")
        .env_remove("GMAO_PORT")
        .env("GMAO_NEW_PASSWORD", "Roulement-42-graisse")
        .env("RUST_LOG", "warn");
    command
}

fn run(command: &mut Command) -> (bool, String, String) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run gmao: {e}"));
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn cluster_running(dir: &Path) -> bool {
    dir.join("postgres/postmaster.pid").exists()
}

#[test]
fn the_binary_runs_tenant_commands_and_serves_on_the_embedded_database() {
    let dir = data_dir();
    let d = dir.path();

    let (ok, out, err) = run(gmao(d).args([
        "tenant",
        "create",
        "--slug",
        "cli-co",
        "--name",
        "CLI Co",
        "--admin-email",
        "anne@cli.example.com",
        "--admin-name",
        "Anne Martin",
    ]));
    assert!(ok, "tenant create failed: {out}{err}");
    assert!(out.contains("Tenant cli-co created"), "{out}");
    assert!(
        !cluster_running(d),
        "a command must stop the cluster it started"
    );

    let (ok, out, err) = run(gmao(d).args([
        "tenant",
        "create",
        "--slug",
        "cli-co",
        "--name",
        "Again",
        "--admin-email",
        "b@cli.example.com",
        "--admin-name",
        "B",
    ]));
    assert!(!ok && err.contains("slug_taken"), "{out}{err}");

    // Roles from the command line: the way back when nobody in the company can.
    let (ok, out, err) = run(gmao(d).args([
        "user",
        "create",
        "--email",
        "karim@cli.example.com",
        "--name",
        "Karim",
        "--tenant",
        "cli-co",
        "--role",
        "viewer",
    ]));
    assert!(ok, "{out}{err}");
    let (ok, out, err) = run(gmao(d).args([
        "user",
        "set-role",
        "--email",
        "karim@cli.example.com",
        "--tenant",
        "cli-co",
        "--role",
        "supervisor",
    ]));
    assert!(
        ok && out.contains("is now supervisor in cli-co (every site)"),
        "{out}{err}"
    );
    let (ok, out, err) = run(gmao(d).args([
        "user",
        "set-role",
        "--email",
        "anne@cli.example.com",
        "--tenant",
        "cli-co",
        "--role",
        "viewer",
    ]));
    assert!(!ok && err.contains("last_admin"), "{out}{err}");
    let (ok, out, err) = run(gmao(d).args([
        "user",
        "set-role",
        "--email",
        "karim@cli.example.com",
        "--tenant",
        "cli-co",
        "--role",
        "admin",
        "--sites",
        "NOPE",
    ]));
    assert!(!ok && err.contains("NOPE"), "{out}{err}");

    // The mail outbox: nothing failed.
    let (ok, out, err) = run(gmao(d).args(["mail", "list", "--failed"]));
    assert!(ok, "{out}{err}");

    // A preventive sweep now, for one company or all; bad arguments are named.
    let (ok, out, err) = run(gmao(d).args([
        "pm",
        "generate",
        "--tenant",
        "cli-co",
        "--as-of",
        "2026-12-01",
    ]));
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("[1/1] cli-co: 0 plan(s), 0 order(s) generated")
            && out.contains("0 preventive work order(s) generated as of 2026-12-01"),
        "{out}"
    );
    let (ok, out, err) = run(gmao(d).args(["pm", "generate"]));
    assert!(ok && out.contains("across 1 tenant(s)"), "{out}{err}");
    let (ok, out, err) = run(gmao(d).args(["pm", "generate", "--tenant", "nobody-here"]));
    assert!(!ok && err.contains("nobody-here"), "{out}{err}");
    let (ok, out, err) = run(gmao(d).args(["pm", "generate", "--as-of", "tomorrow"]));
    assert!(!ok && err.contains("--as-of"), "{out}{err}");

    // Scheduled reports due now: none yet; bad arguments are named.
    let (ok, out, err) = run(gmao(d).args(["reports", "send-due", "--tenant", "cli-co"]));
    assert!(ok && out.contains("0 report(s) due"), "{out}{err}");
    let (ok, out, err) = run(gmao(d).args(["reports", "send-due", "--tenant", "nobody-here"]));
    assert!(!ok && err.contains("nobody-here"), "{out}{err}");
    let (ok, out, err) = run(gmao(d).args(["reports", "send-due", "--as-of", "soon"]));
    assert!(!ok && err.contains("--as-of"), "{out}{err}");

    let mut server = gmao(d)
        .args(["serve", "--port", "0", "--no-worker"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = server.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut lines = BufReader::new(stdout).lines();
    let address = loop {
        let line = lines
            .next()
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("serve exited before listening"));
        if let Some(rest) = line.strip_prefix("gmao is running at ") {
            break rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .trim_end_matches('/')
                .to_owned();
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let ready = client.get(format!("{address}/readyz")).send().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ready.status().as_u16(), 200);
        let login = client
            .post(format!("{address}/api/v1/auth/login"))
            .json(&serde_json::json!({"email": "anne@cli.example.com", "password": "Roulement-42-graisse"}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(login.status().as_u16(), 200);
        // Without a worker in this process, the job queue exists all the same (serve migrates it).
        let body: serde_json::Value = login.json().await.unwrap_or_else(|e| panic!("{e}"));
        let token = body["access_token"].as_str().unwrap_or_default();
        let jobs = client
            .get(format!("{address}/api/v1/jobs?status=failed"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(jobs.status().as_u16(), 200);

        // The embedded database dies: health says so, and serve starts it again.
        let postmaster = std::fs::read_to_string(d.join("postgres/postmaster.pid"))
            .unwrap_or_default()
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        assert!(!postmaster.is_empty());
        let (ok, _, err) = run(Command::new("kill").args(["-KILL", &postmaster]));
        assert!(ok, "{err}");
        let health = |client: reqwest::Client| {
            let url = format!("{address}/healthz");
            async move {
                client
                    .get(url)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            }
        };
        let postmaster_now = || {
            std::fs::read_to_string(d.join("postgres/postmaster.pid"))
                .unwrap_or_default()
                .lines()
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        let deadline = Instant::now() + Duration::from_secs(40);
        loop {
            let now = postmaster_now();
            if !now.is_empty() && now != postmaster && health(client.clone()).await == 200 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the embedded database did not come back"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let again = client
            .post(format!("{address}/api/v1/auth/login"))
            .json(&serde_json::json!({"email": "anne@cli.example.com", "password": "Roulement-42-graisse"}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.status().as_u16(), 200);
    });

    // While serve runs, other commands use its database.
    let (ok, out, err) = run(gmao(d).args(["tenant", "suspend", "cli-co"]));
    assert!(ok, "{out}{err}");
    let (ok, out, _) = run(gmao(d).args(["tenant", "list"]));
    assert!(
        ok && out.contains("cli-co") && out.contains("suspended"),
        "{out}"
    );
    assert!(
        cluster_running(d),
        "a command must not stop the cluster of a running serve"
    );

    // SIGTERM: graceful shutdown, database stopped.
    let pid = server.id().to_string();
    let (ok, _, _) = run(Command::new("kill").args(["-TERM", &pid]));
    assert!(ok);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap_or_else(|e| panic!("{e}")) {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "serve did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "serve exited with {status}");
    assert!(
        !cluster_running(d),
        "the embedded database must stop with serve"
    );

    let (ok, out, err) = run(gmao(d).arg("migrate"));
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("1 tenant(s): 0 migrated, 1 already current, 0 failed"),
        "{out}"
    );
}

#[test]
fn configuration_errors_name_the_setting_and_help_is_complete() {
    let dir = data_dir();
    let (ok, _, err) = run(gmao(dir.path()).env("GMAO_PORT", "eighty").args(["serve"]));
    assert!(!ok);
    assert!(err.contains("GMAO_PORT"), "{err}");
    let (ok, out, _) = run(gmao(dir.path()).arg("--help"));
    assert!(ok);
    for command in [
        "serve", "worker", "migrate", "tenant", "user", "demo", "openapi",
    ] {
        assert!(
            out.contains(command),
            "--help does not mention {command}: {out}"
        );
    }
    let (ok, out, _) = run(gmao(dir.path()).args(["serve", "--help"]));
    assert!(
        ok && out.contains("--port") && out.contains("--no-worker"),
        "{out}"
    );
    let (ok, out, _) = run(gmao(dir.path()).arg("openapi"));
    assert!(ok && out.contains("\"/auth/signup\""), "{out}");
}
