//! `gmao serve`: migrate, then run the HTTP server and (by default) a worker, until a signal.

use anyhow::Context;

use crate::cli::ServeArgs;
use crate::config::Config;
use crate::database::{Database, jwt_secret};
use crate::migration::migrate_all;
use crate::shutdown::Shutdown;

pub async fn run(config: Config, args: &ServeArgs) -> anyhow::Result<()> {
    let shutdown = Shutdown::new();
    shutdown.on_signals();
    let db = Database::open(&config).await?;
    let supervision = db.supervise(&shutdown);
    let result = serve(&config, args, &db, &shutdown).await;
    db.close().await;
    match supervision.failure() {
        Some(reason) => Err(anyhow::anyhow!(reason)),
        None => result,
    }
}

async fn serve(
    config: &Config,
    args: &ServeArgs,
    db: &Database,
    shutdown: &Shutdown,
) -> anyhow::Result<()> {
    let report = migrate_all(&db.pool, config.migrate_concurrency).await?;
    if report.failed().count() > 0 {
        tracing::error!(
            failed = report.failed().count(),
            "some tenants could not be migrated; they answer errors until `gmao migrate` succeeds"
        );
    }
    if args.demo {
        super::demo::seed_and_print(&db.pool).await?;
    }
    let secret = jwt_secret(config)?;
    let storage = crate::storage(config)?;
    let listener = tokio::net::TcpListener::bind((config.host, config.port))
        .await
        .with_context(|| {
            format!(
                "cannot listen on {}:{} (GMAO_HOST / GMAO_PORT)",
                config.host, config.port
            )
        })?;
    let address = listener.local_addr()?;
    // Without a configured public address, links in mails point where the server listens (the
    // port chosen when it was 0).
    let mut config_here = config.clone();
    if config_here.public_url.is_none() {
        config_here.public_url = Some(format!("http://{address}"));
    }
    let state = crate::app_state(&config_here, db.pool.clone(), &secret, storage);
    println!("gmao is running at http://{address}/  (API docs: http://{address}/api/docs)");

    let worker = if args.no_worker {
        None
    } else {
        let pool = db.extra_pool(config, config.worker.max_connections).await?;
        let settings = super::worker::settings(config);
        let stop = shutdown.wait();
        Some(tokio::spawn(async move {
            gmao_workers::run(pool, settings, stop).await
        }))
    };
    let grace = std::time::Duration::from_secs(config.shutdown_grace_secs);
    let server = gmao_api::serve(listener, state, shutdown.wait(), grace);
    let result = match worker {
        None => server.await.context("HTTP server"),
        Some(mut worker) => {
            tokio::pin!(server);
            tokio::select! {
                served = &mut server => {
                    shutdown.trigger();
                    let _ = worker.await;
                    served.context("HTTP server")
                }
                finished = &mut worker => {
                    // The worker should only stop at shutdown; if it stops earlier, say why and
                    // take the server down with it rather than run half a product.
                    let reason = match finished {
                        Ok(Ok(())) => "the worker stopped".to_owned(),
                        Ok(Err(e)) => format!("the worker failed: {e:#}"),
                        Err(e) => format!("the worker task panicked: {e}"),
                    };
                    if !matches!(&reason[..], "the worker stopped") {
                        tracing::error!("{reason}; shutting down");
                    }
                    shutdown.trigger();
                    server.await.context("HTTP server")
                }
            }
        }
    };
    tracing::info!("stopped");
    result
}
