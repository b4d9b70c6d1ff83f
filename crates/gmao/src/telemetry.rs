//! Logging: readable lines in a terminal, JSON lines for collectors. Every line of a request
//! carries its `request_id` (the HTTP edge opens a span with it).

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Libraries that narrate routine events at `info` ("schema already exists, skipping").
const QUIET: &[&str] = &[
    "sqlx::postgres::notice=warn",
    "tokio_cron_scheduler=warn",
    "apalis_core=warn",
    "poem::server=warn",
];

pub fn init(format: LogFormat, level: &str) {
    let filter = match EnvFilter::try_from_default_env() {
        Ok(filter) => filter,
        Err(_) => {
            let mut filter = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
            for directive in QUIET {
                if let Ok(directive) = directive.parse() {
                    filter = filter.add_directive(directive);
                }
            }
            filter
        }
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    // A second init (tests) keeps the first subscriber.
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
}
