use std::process::ExitCode;

use clap::Parser;
use gmao::cli::{Cli, Command};
use gmao::commands;
use gmao::config::{Config, Overrides};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let overrides = Overrides {
        host: match &cli.command {
            Command::Serve(args) => args.host,
            _ => None,
        },
        port: match &cli.command {
            Command::Serve(args) => args.port,
            _ => None,
        },
        data_dir: cli.data_dir.clone(),
    };
    let config = match Config::load(cli.config.as_deref(), &overrides) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("gmao: configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    if let Command::Openapi = cli.command {
        println!("{}", gmao_api::openapi_json());
        return ExitCode::SUCCESS;
    }
    gmao::telemetry::init(config.log.format, &config.log.level);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("gmao: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match &cli.command {
            Command::Serve(args) => commands::serve::run(config, args).await.map(|_| true),
            Command::Worker => commands::worker::run(config).await.map(|_| true),
            Command::Migrate => commands::migrate::run(config).await,
            Command::Tenant(command) => commands::tenant::run(config, command).await.map(|_| true),
            Command::User(command) => commands::user::run(config, command).await.map(|_| true),
            Command::Demo(args) => commands::demo::run(config, args).await.map(|_| true),
            Command::Pm(command) => commands::pm::run(config, command).await,
            Command::Mail(command) => commands::mail::run(config, command).await,
            Command::Reports(command) => commands::reports::run(config, command).await,
            Command::Openapi => Ok(true),
        }
    });
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("gmao: {error:#}");
            ExitCode::FAILURE
        }
    }
}
