//! Prometheus metrics: request counts and latencies by route, served on their own listener.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::time::Instant;

/// Labels of the request metrics.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    /// HTTP method.
    pub method: String,
    /// The route template (`/api/v1/lines/{id}`), never the raw path.
    pub route: String,
    /// Status code.
    pub status: u16,
}

/// Labels of the latency histogram.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LatencyLabels {
    /// HTTP method.
    pub method: String,
    /// The route template.
    pub route: String,
}

/// The registry and the metrics keepsim records.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RouteLabels, Counter>,
    latency: Family<LatencyLabels, Histogram, fn() -> Histogram>,
}

fn latency_histogram() -> Histogram {
    Histogram::new([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0])
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("keepsim");
        let requests = Family::<RouteLabels, Counter>::default();
        let latency = Family::<LatencyLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        registry.register("http_requests", "HTTP requests by route and status", requests.clone());
        registry.register("http_request_duration_seconds", "HTTP request latency by route", latency.clone());
        Metrics { registry, requests, latency }
    }
}

/// The charging writer's counters, read at each scrape.
struct ChargingCollector(Arc<keepsim_services::charging::Charging>);

impl std::fmt::Debug for ChargingCollector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChargingCollector")
    }
}

impl prometheus_client::collector::Collector for ChargingCollector {
    fn encode(&self, mut encoder: prometheus_client::encoding::DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let stats = self.0.writer_stats();
        counter(
            &mut encoder,
            "charging_commits",
            "Transactions the charging writer committed (group commits)",
            stats.batches,
        )?;
        counter(
            &mut encoder,
            "charging_writes",
            "Charging operations (CCRs, usage reports, expiries) in those transactions",
            stats.writes,
        )?;
        // Busy time over wall time is how close the writer is to its ceiling.
        counter(
            &mut encoder,
            "charging_commit_seconds",
            "Time the charging writer spent committing",
            stats.commit_time.as_secs_f64(),
        )
    }
}

/// One counter whose value is read at the scrape.
fn counter<N: prometheus_client::encoding::EncodeCounterValue + std::fmt::Debug>(
    encoder: &mut prometheus_client::encoding::DescriptorEncoder,
    name: &str,
    help: &str,
    value: N,
) -> Result<(), std::fmt::Error> {
    use prometheus_client::encoding::EncodeMetric;
    let c = prometheus_client::metrics::counter::ConstCounter::new(value);
    c.encode(encoder.encode_descriptor(name, help, None, c.metric_type())?)
}

impl Metrics {
    /// Also exports the charging writer's commits, writes and busy time
    /// (`keepsim_charging_commits_total`, `keepsim_charging_writes_total`,
    /// `keepsim_charging_commit_seconds_total`).
    pub fn with_charging(mut self, charging: Arc<keepsim_services::charging::Charging>) -> Metrics {
        self.registry.register_collector(Box::new(ChargingCollector(charging)));
        self
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

/// Middleware that counts and times every request by its matched route.
pub async fn track(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let start = Instant::now();
    let res = next.run(req).await;
    let seconds = start.elapsed().as_secs_f64();
    metrics
        .requests
        .get_or_create(&RouteLabels { method: method.clone(), route: route.clone(), status: res.status().as_u16() })
        .inc();
    metrics.latency.get_or_create(&LatencyLabels { method, route }).observe(seconds);
    res
}

/// The router of the metrics listener: `GET /metrics`.
pub fn router(metrics: Arc<Metrics>) -> axum::Router {
    axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || {
            let metrics = metrics.clone();
            async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
                    metrics.render(),
                )
                    .into_response()
            }
        }),
    )
}
