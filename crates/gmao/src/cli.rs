//! The command line of the `gmao` binary.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// gmao: maintenance management (GMAO / CMMS) for industrial teams.
///
/// With no GMAO_DATABASE_URL, every command uses the embedded PostgreSQL cluster of the data
/// directory, starting it if needed.
#[derive(Debug, Parser)]
#[command(name = "gmao", version, propagate_version = true)]
pub struct Cli {
    /// TOML configuration file (see gmao.example.toml).
    #[arg(long, global = true, env = "GMAO_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Data directory: embedded database, generated secrets [default: .gmao].
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP API and web app, with a worker in the same process unless --no-worker.
    /// Migrates the database first.
    Serve(ServeArgs),
    /// Run background jobs only (scale these separately from `serve`).
    Worker,
    /// Migrate the control plane, then every tenant (in parallel, with a progress bar). Exits
    /// non-zero if any tenant failed; run it again to resume.
    Migrate,
    /// Create, list, inspect, suspend and resume tenants (companies).
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Manage people's accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Create (or complete) the demo company and print how to log in.
    Demo(DemoArgs),
    /// Preventive maintenance.
    #[command(subcommand)]
    Pm(PmCommand),
    /// The mail outbox: what was sent, what waits, what failed.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Scheduled KPI reports.
    #[command(subcommand)]
    Reports(ReportsCommand),
    /// Print the OpenAPI document of the HTTP API.
    Openapi,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Also a large company (workspace "demo-grande", same administrator): 1,000 machines
    /// and `--orders` work orders over ten years, for trying gmao at scale.
    #[arg(long)]
    pub large: bool,
    /// Work orders of the large company.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..=9_999_999))]
    pub orders: u64,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to bind [env: GMAO_HOST] [default: 127.0.0.1].
    #[arg(long)]
    pub host: Option<IpAddr>,
    /// Port to listen on [env: GMAO_PORT] [default: 8080].
    #[arg(long)]
    pub port: Option<u16>,
    /// Do not run a worker in this process (run `gmao worker` separately).
    #[arg(long)]
    pub no_worker: bool,
    /// Create or complete the demo company before serving.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Create a tenant and its first administrator.
    Create(TenantCreateArgs),
    /// List tenants with their status and schema version.
    List,
    /// Show one tenant.
    Show {
        /// The tenant's slug.
        slug: String,
    },
    /// Suspend a tenant: its members are refused at once, their data is kept.
    Suspend { slug: String },
    /// Resume a suspended tenant.
    Resume { slug: String },
}

#[derive(Debug, Args)]
pub struct TenantCreateArgs {
    /// Workspace identifier (3–40 lowercase letters, digits, hyphens).
    #[arg(long)]
    pub slug: String,
    /// Company name.
    #[arg(long)]
    pub name: String,
    /// Email of the first administrator.
    #[arg(long)]
    pub admin_email: String,
    /// Full name of the first administrator.
    #[arg(long)]
    pub admin_name: String,
    #[command(flatten)]
    pub password: PasswordArgs,
}

#[derive(Debug, Args)]
pub struct PasswordArgs {
    /// Read the password from standard input (one line). Without it, the GMAO_NEW_PASSWORD
    /// variable is used, or a strong password is generated and printed.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum PmCommand {
    /// Generate the preventive work orders due now (or as of a date), without waiting for the
    /// worker's sweep. Safe to run at any time: each occurrence gets one order, ever.
    Generate {
        /// Only this tenant (slug); default every active tenant.
        #[arg(long)]
        tenant: Option<String>,
        /// Generate as if it were this date (YYYY-MM-DD, start of the day UTC) or instant
        /// (RFC 3339).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReportsCommand {
    /// Send the scheduled reports that are due now (or as of an instant), without waiting for
    /// the worker: each (schedule, period) is sent once, ever, whoever sends it.
    SendDue {
        /// Only this tenant (slug); default every tenant with a report due.
        #[arg(long)]
        tenant: Option<String>,
        /// As if it were this date (YYYY-MM-DD, start of the day UTC) or instant (RFC 3339).
        #[arg(long, value_name = "DATETIME")]
        as_of: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// The most recent mails (newest first), or only failed ones.
    List {
        /// Only mails that failed for good.
        #[arg(long)]
        failed: bool,
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Put a failed mail back in line (after fixing what made it fail).
    Retry {
        /// The mail's id, as `gmao mail list` shows it.
        id: uuid::Uuid,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; with --tenant, make it a member there; with --platform-operator,
    /// let it run the platform.
    Create(UserCreateArgs),
    /// Change a member's role and sites in a tenant, or reactivate them: the way back when
    /// nobody left in the company can (the company keeps an administrator who sees every site).
    SetRole(UserSetRoleArgs),
}

#[derive(Debug, Args)]
pub struct UserSetRoleArgs {
    #[arg(long)]
    pub email: String,
    /// The tenant (slug).
    #[arg(long)]
    pub tenant: String,
    /// A built-in role (admin, supervisor, technician, operator, viewer) or a custom role's
    /// name.
    #[arg(long)]
    pub role: String,
    /// Limit the member to these sites (codes, comma-separated).
    #[arg(long, value_delimiter = ',', conflicts_with = "all_sites")]
    pub sites: Option<Vec<String>>,
    /// Let the member see every site.
    #[arg(long)]
    pub all_sites: bool,
    /// Reactivate the member if they were deactivated.
    #[arg(long)]
    pub activate: bool,
}

#[derive(Debug, Args)]
pub struct UserCreateArgs {
    #[arg(long)]
    pub email: String,
    /// Full name.
    #[arg(long)]
    pub name: String,
    /// Make the account a platform operator.
    #[arg(long)]
    pub platform_operator: bool,
    /// Add the account to this tenant (slug)...
    #[arg(long, requires = "role")]
    pub tenant: Option<String>,
    /// ...with this built-in role: admin, supervisor, technician, operator, viewer.
    #[arg(long, requires = "tenant")]
    pub role: Option<String>,
    #[command(flatten)]
    pub password: PasswordArgs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serve_takes_port_and_no_worker() -> Result<(), clap::Error> {
        let cli = Cli::try_parse_from(["gmao", "serve", "--port", "9000", "--no-worker"])?;
        match cli.command {
            Command::Serve(args) => {
                assert_eq!(args.port, Some(9000));
                assert!(args.no_worker);
            }
            other => panic!("parsed as {other:?}"),
        }
        Ok(())
    }
}
