//! The embedded default database: a private PostgreSQL cluster that gmao creates and starts
//! itself from the machine's server binaries, so that `gmao serve` works with nothing configured.
//!
//! PostgreSQL refuses to run as root; when gmao runs as root, the cluster is created and started
//! as the unprivileged `postgres` system user (via `runuser`). The server listens on loopback
//! only, with a generated password kept in the data directory. A watchdog process stops the
//! server when gmao exits, even when it is killed without a chance to clean up.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

use rand::Rng;
use rand::distr::Alphanumeric;
use secrecy::{ExposeSecret, SecretString};

const SUPERUSER: &str = "gmao";
const DATABASE: &str = "gmao";
const UNPRIVILEGED_USER: &str = "postgres";

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH nor under \
         /usr/lib/postgresql/*/bin. Install them (Debian/Ubuntu: `apt-get install postgresql`) \
         or point gmao at a running server with GMAO_DATABASE_URL=postgres://user:password@host/db"
    )]
    BinariesNotFound,
    #[error(
        "gmao runs as root, and PostgreSQL refuses to: the embedded cluster must run as the \
         `{UNPRIVILEGED_USER}` system user, which does not exist here. Create it (`adduser --system \
         --group postgres`), run gmao as an ordinary user, or set GMAO_DATABASE_URL"
    )]
    NoUnprivilegedUser,
    #[error(
        "gmao runs as root, so the embedded PostgreSQL runs as the `{UNPRIVILEGED_USER}` user, who \
         cannot reach {0}. Choose a data directory that user can reach (--data-dir or \
         GMAO_DATA_DIR, for example under /var/lib/gmao) or set GMAO_DATABASE_URL"
    )]
    DirectoryNotReachable(PathBuf),
    #[error("{step} failed: {detail}")]
    Command { step: &'static str, detail: String },
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

fn io_error(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> EmbeddedError {
    let what = what.into();
    move |source| EmbeddedError::Io { what, source }
}

/// How the cluster is kept.
#[derive(Debug, Clone)]
pub struct EmbeddedOptions {
    /// Where the cluster lives (`<dir>/postgres`), with its password and log.
    pub dir: PathBuf,
    /// A throwaway cluster for tests and benchmarks: more connections, and the directory
    /// removed when the cluster stops.
    pub ephemeral: bool,
    /// Flush to disk at commit (PostgreSQL's default). Tests turn it off for speed; benchmarks
    /// keep it on to measure what production does.
    pub durable: bool,
}

/// A running embedded cluster. Stop it with [`EmbeddedPostgres::stop`]; if the process dies
/// first, the watchdog stops it.
pub struct EmbeddedPostgres {
    bin_dir: PathBuf,
    pgdata: PathBuf,
    port: u16,
    password: SecretString,
    run_as_postgres: bool,
    /// False when another gmao process of the same data directory runs the server: this one
    /// uses it and leaves it running.
    owned: bool,
    watchdog: std::sync::Mutex<Option<(Child, ChildStdin)>>,
    /// How it was started, to start it again the same way.
    options: EmbeddedOptions,
}

impl std::fmt::Debug for EmbeddedPostgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedPostgres")
            .field("pgdata", &self.pgdata)
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl EmbeddedPostgres {
    /// Creates the cluster on first use, starts it on a free loopback port and makes sure the
    /// `gmao` database exists. Blocking: call it from `spawn_blocking` in async code.
    pub fn start(options: &EmbeddedOptions) -> Result<EmbeddedPostgres, EmbeddedError> {
        let bin_dir = find_bin_dir().ok_or(EmbeddedError::BinariesNotFound)?;
        let run_as_postgres = nix::unistd::geteuid().is_root();
        let postgres_user = if run_as_postgres {
            Some(
                nix::unistd::User::from_name(UNPRIVILEGED_USER)
                    .ok()
                    .flatten()
                    .ok_or(EmbeddedError::NoUnprivilegedUser)?,
            )
        } else {
            None
        };

        fs::create_dir_all(&options.dir)
            .map_err(io_error(format!("creating {}", options.dir.display())))?;
        let dir = options
            .dir
            .canonicalize()
            .map_err(io_error(format!("resolving {}", options.dir.display())))?;
        let pgdata = dir.join("postgres");
        let password_file = dir.join("postgres.password");

        let mut cluster = EmbeddedPostgres {
            bin_dir,
            pgdata,
            port: 0,
            password: SecretString::from(String::new()),
            run_as_postgres,
            owned: true,
            watchdog: std::sync::Mutex::new(None),
            options: options.clone(),
        };

        if let Some(user) = &postgres_user {
            // The unprivileged user must own the cluster directory and reach it.
            if !cluster.pgdata.exists() {
                fs::create_dir(&cluster.pgdata)
                    .map_err(io_error(format!("creating {}", cluster.pgdata.display())))?;
            }
            nix::unistd::chown(&cluster.pgdata, Some(user.uid), Some(user.gid)).map_err(|e| {
                EmbeddedError::Io {
                    what: format!("giving {} to {UNPRIVILEGED_USER}", cluster.pgdata.display()),
                    source: e.into(),
                }
            })?;
            let reachable = Command::new("runuser")
                .args(["-u", UNPRIVILEGED_USER, "--", "test", "-w"])
                .arg(&cluster.pgdata)
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if !reachable {
                return Err(EmbeddedError::DirectoryNotReachable(cluster.pgdata.clone()));
            }
        }

        if !cluster.pgdata.join("PG_VERSION").exists() {
            cluster.init(&dir, &password_file, postgres_user.as_ref())?;
        }
        cluster.password = SecretString::from(
            fs::read_to_string(&password_file)
                .map_err(io_error(format!("reading {}", password_file.display())))?
                .trim()
                .to_owned(),
        );

        if let Some(port) = cluster.running_port() {
            // `gmao serve` already runs this cluster: commands like `gmao tenant list` use it.
            cluster.port = port;
            cluster.owned = false;
            cluster.create_database()?;
            return Ok(cluster);
        }
        cluster.port = free_port()?;
        cluster.launch(options)?;
        let watchdog = cluster.spawn_watchdog(options.ephemeral.then_some(dir.as_path()))?;
        cluster.watchdog = std::sync::Mutex::new(Some(watchdog));
        cluster.create_database()?;
        Ok(cluster)
    }

    /// `postgres://gmao:…@127.0.0.1:<port>/gmao`.
    pub fn database_url(&self) -> SecretString {
        SecretString::from(format!(
            "postgres://{SUPERUSER}:{}@127.0.0.1:{}/{DATABASE}",
            self.password.expose_secret(),
            self.port
        ))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether this process started the server (and stops it).
    pub fn is_owned(&self) -> bool {
        self.owned
    }

    /// Stops the server (fast shutdown: open sessions are ended, nothing committed is lost),
    /// unless another process started it.
    pub fn stop(&self) -> Result<(), EmbeddedError> {
        if !self.owned {
            return Ok(());
        }
        let result = self.pg_ctl(&["stop", "-m", "fast", "-w"]);
        self.release_watchdog();
        result.map(|_| ())
    }

    /// Whether the server answers `pg_ctl status` (its postmaster is alive).
    pub fn is_running(&self) -> bool {
        self.pg_ctl(&["status"]).is_ok()
    }

    /// Starts the server again, on the same port with the same settings, after it died (the
    /// pool's URL stays valid). Only for a server this process started.
    pub fn restart(&self) -> Result<(), EmbeddedError> {
        if !self.owned {
            return Ok(());
        }
        self.launch(&self.options)
    }

    /// Closing the watchdog's stdin lets it finish (and remove an ephemeral cluster).
    fn release_watchdog(&self) {
        let taken = match self.watchdog.lock() {
            Ok(mut guard) => guard.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some((mut child, stdin)) = taken {
            drop(stdin);
            let _ = child.wait();
        }
    }

    fn init(
        &self,
        dir: &Path,
        password_file: &Path,
        postgres_user: Option<&nix::unistd::User>,
    ) -> Result<(), EmbeddedError> {
        let password: String = rand::rng()
            .sample_iter(&Alphanumeric)
            .take(32)
            .map(char::from)
            .collect();
        write_private(password_file, &password)?;
        // initdb reads the password from a file, which the server's user must be able to read.
        let init_pwfile = dir.join(".initdb-password");
        write_private(&init_pwfile, &password)?;
        if let Some(user) = postgres_user {
            nix::unistd::chown(&init_pwfile, Some(user.uid), Some(user.gid)).map_err(|e| {
                EmbeddedError::Io {
                    what: "preparing the initdb password file".into(),
                    source: e.into(),
                }
            })?;
        }
        let pwfile_arg = format!("--pwfile={}", init_pwfile.display());
        let pgdata = self.pgdata.display().to_string();
        let result = self.run(
            "initdb",
            "initdb",
            &[
                "-D",
                &pgdata,
                "-U",
                SUPERUSER,
                "--auth=scram-sha-256",
                &pwfile_arg,
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--locale-provider=icu",
                "--icu-locale=und",
            ],
        );
        let _ = fs::remove_file(&init_pwfile);
        result.map(|_| ())
    }

    /// The port of a server already running on this cluster, from its `postmaster.pid` (line 4),
    /// when `pg_ctl status` confirms it runs.
    fn running_port(&self) -> Option<u16> {
        let pid_file = fs::read_to_string(self.pgdata.join("postmaster.pid")).ok()?;
        let port = pid_file.lines().nth(3)?.trim().parse::<u16>().ok()?;
        self.pg_ctl(&["status"]).ok().map(|_| port)
    }

    fn launch(&self, options: &EmbeddedOptions) -> Result<(), EmbeddedError> {
        let mut settings = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''",
            self.port
        );
        if options.ephemeral {
            settings.push_str(" -c max_connections=300");
        }
        if !options.durable {
            settings.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        let log = self.pgdata.join("server.log").display().to_string();
        self.pg_ctl(&["start", "-w", "-t", "60", "-l", &log, "-o", &settings])
            .map_err(|e| match e {
                EmbeddedError::Command { step, detail } => EmbeddedError::Command {
                    step,
                    detail: format!("{detail} (see {log})"),
                },
                other => other,
            })?;
        Ok(())
    }

    fn create_database(&self) -> Result<(), EmbeddedError> {
        let port = self.port.to_string();
        let psql = |sql: &str| -> Result<String, EmbeddedError> {
            let output = Command::new(self.bin_dir.join("psql"))
                .args([
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &port,
                    "-U",
                    SUPERUSER,
                    "-d",
                    "postgres",
                ])
                .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql])
                .env("PGPASSWORD", self.password.expose_secret())
                .output()
                .map_err(io_error("running psql"))?;
            if output.status.success() {
                Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
            } else {
                Err(EmbeddedError::Command {
                    step: "creating the gmao database",
                    detail: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
                })
            }
        };
        let exists = psql(&format!(
            "SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"
        ))?;
        if exists != "1" {
            psql(&format!("CREATE DATABASE {DATABASE}"))?;
        }
        Ok(())
    }

    /// A shell that waits for its stdin to close (gmao exited, however it died), then stops the
    /// server. It ignores terminal signals so that Ctrl-C leaves the shutdown to gmao.
    fn spawn_watchdog(&self, remove: Option<&Path>) -> Result<(Child, ChildStdin), EmbeddedError> {
        let pg_ctl = shell_quote(&self.bin_dir.join("pg_ctl").display().to_string());
        let pgdata = shell_quote(&self.pgdata.display().to_string());
        let stop = if self.run_as_postgres {
            format!("runuser -u {UNPRIVILEGED_USER} -- {pg_ctl} -D {pgdata} stop -m immediate")
        } else {
            format!("{pg_ctl} -D {pgdata} stop -m immediate")
        };
        let mut script = format!("trap '' INT TERM HUP; read _; {stop} >/dev/null 2>&1");
        if let Some(dir) = remove {
            script.push_str(&format!(
                "; rm -rf {}",
                shell_quote(&dir.display().to_string())
            ));
        }
        let mut child = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(io_error("starting the database watchdog"))?;
        let stdin = child.stdin.take().ok_or_else(|| EmbeddedError::Command {
            step: "starting the database watchdog",
            detail: "no stdin".into(),
        })?;
        Ok((child, stdin))
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<String, EmbeddedError> {
        let pgdata = self.pgdata.display().to_string();
        let mut all = vec!["-D", pgdata.as_str()];
        all.extend_from_slice(args);
        self.run("pg_ctl", "pg_ctl", &all)
    }

    fn run(
        &self,
        step: &'static str,
        program: &str,
        args: &[&str],
    ) -> Result<String, EmbeddedError> {
        let binary = self.bin_dir.join(program);
        let mut command = if self.run_as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", UNPRIVILEGED_USER, "--"]).arg(&binary);
            c
        } else {
            Command::new(&binary)
        };
        // pg_ctl start keeps its stdout open through the server's lifetime unless redirected.
        let output = command
            .args(args)
            .current_dir(&self.bin_dir)
            .stdin(Stdio::null())
            .output()
            .map_err(io_error(format!("running {}", binary.display())))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            let mut detail = String::from_utf8_lossy(&output.stderr).trim().to_owned();
            if detail.is_empty() {
                detail = String::from_utf8_lossy(&output.stdout).trim().to_owned();
            }
            Err(EmbeddedError::Command { step, detail })
        }
    }
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        // Dropping without stop(): closing stdin makes the watchdog stop the server.
        self.release_watchdog();
    }
}

/// PATH first (a developer's choice wins), then Debian's versioned directories, newest first.
fn find_bin_dir() -> Option<PathBuf> {
    let has_all = |dir: &Path| {
        ["initdb", "pg_ctl", "postgres", "psql"]
            .iter()
            .all(|b| dir.join(b).is_file())
    };
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let initdb = dir.join("initdb");
            if initdb.is_file() {
                // Debian links initdb into /usr/local/bin; pg_ctl needs the real directory.
                let real = initdb.canonicalize().ok()?;
                let real_dir = real.parent()?.to_path_buf();
                if has_all(&real_dir) {
                    return Some(real_dir);
                }
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has_all(dir))
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir)
}

fn free_port() -> Result<u16, EmbeddedError> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(io_error("finding a free port"))?;
    let port = listener
        .local_addr()
        .map_err(io_error("finding a free port"))?
        .port();
    Ok(port)
}

fn write_private(path: &Path, contents: &str) -> Result<(), EmbeddedError> {
    crate::private_file::write(path, contents)
        .map_err(io_error(format!("writing {}", path.display())))
}

fn shell_quote(raw: &str) -> String {
    format!("'{}'", raw.replace('\'', r"'\''"))
}
