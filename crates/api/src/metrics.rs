//! Prometheus metrics: requests by route and status with latency histograms, the connection
//! pool, tenants by status, jobs and the mail outbox. Exposed at `/metrics`.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    queue: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: String,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    pool_connections: Gauge,
    pool_idle: Gauge,
    tenants: Family<StatusLabels, Gauge>,
    jobs: Family<JobLabels, Gauge>,
    mails: Family<StatusLabels, Gauge>,
}

fn latency_histogram() -> Histogram {
    // 2 ms to about 8 s.
    Histogram::new(exponential_buckets(0.002, 2.0, 13))
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("gmao");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        let pool_connections = Gauge::default();
        let pool_idle = Gauge::default();
        let tenants = Family::<StatusLabels, Gauge>::default();
        let jobs = Family::<JobLabels, Gauge>::default();
        let mails = Family::<StatusLabels, Gauge>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            latency.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Open database connections",
            pool_connections.clone(),
        );
        registry.register(
            "db_pool_idle_connections",
            "Idle database connections",
            pool_idle.clone(),
        );
        registry.register("tenants", "Tenants by status", tenants.clone());
        registry.register(
            "jobs",
            "Background jobs by queue and status (failed ones are retried until they run out of attempts)",
            jobs.clone(),
        );
        registry.register(
            "mail_outbox",
            "Mails of the outbox by status (pending, sending, sent, failed: failed ones need an operator)",
            mails.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            pool_connections,
            pool_idle,
            tenants,
            jobs,
            mails,
        }
    }

    pub fn observe_request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                method: method.to_owned(),
                route: route.to_owned(),
            })
            .observe(seconds);
    }

    pub fn set_pool(&self, connections: u32, idle: usize) {
        self.pool_connections.set(i64::from(connections));
        self.pool_idle.set(i64::try_from(idle).unwrap_or(i64::MAX));
    }

    pub fn set_tenants(&self, by_status: &[(String, i64)]) {
        for status in ["active", "suspended"] {
            let count = by_status
                .iter()
                .find(|(s, _)| s == status)
                .map_or(0, |(_, c)| *c);
            self.tenants
                .get_or_create(&StatusLabels {
                    status: status.to_owned(),
                })
                .set(count);
        }
    }

    pub fn set_jobs(&self, counts: &[(String, String, i64)]) {
        // Statuses no job has any more disappear rather than keep their last count.
        self.jobs.clear();
        for (queue, status, count) in counts {
            self.jobs
                .get_or_create(&JobLabels {
                    queue: queue.clone(),
                    status: status.to_lowercase(),
                })
                .set(*count);
        }
    }

    pub fn set_mails(&self, by_status: &[(String, i64)]) {
        for status in ["pending", "sending", "sent", "failed"] {
            let count = by_status
                .iter()
                .find(|(s, _)| s == status)
                .map_or(0, |(_, c)| *c);
            self.mails
                .get_or_create(&StatusLabels {
                    status: status.to_owned(),
                })
                .set(count);
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Err(error) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::error!(%error, "encoding metrics");
        }
        out
    }
}
