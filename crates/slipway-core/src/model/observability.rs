use serde::{Deserialize, Serialize};

/// Metrics, alerts, logs, traces, dashboards, error tracking and uptime checks
/// (docs/rules.md#observability; defaults in docs/defaults.md#observability).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Observability {
    pub metrics: Metrics,
    pub alerts: Alerts,
    pub logging: Logging,
    pub tracing: Tracing,
    /// Export a Grafana dashboard with the four golden signals.
    pub dashboard: bool,
    pub error_tracking: ErrorTracking,
    /// A synthetic check of every public health endpoint.
    pub uptime_check: bool,
}

impl Default for Observability {
    fn default() -> Self {
        Observability {
            metrics: Metrics::default(),
            alerts: Alerts::default(),
            logging: Logging::default(),
            tracing: Tracing::default(),
            dashboard: true,
            error_tracking: ErrorTracking::default(),
            uptime_check: true,
        }
    }
}

/// The Prometheus endpoint and the HTTP metrics the service exports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Metrics {
    pub enabled: bool,
    /// Path of the Prometheus text endpoint, served on the service's port.
    pub path: String,
    /// How Prometheus finds the pods on Kubernetes.
    pub scrape: Scrape,
    /// `http_requests_total{method,route,status}` and
    /// `http_request_duration_seconds{method,route}` (buckets 0.1, 0.5, 1, 2, 5 s).
    pub http_red_metrics: bool,
    /// What the `route` label holds.
    pub route_label: RouteLabel,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            enabled: true,
            path: "/metrics".to_owned(),
            scrape: Scrape::ServiceMonitor,
            http_red_metrics: true,
            route_label: RouteLabel::Template,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Scrape {
    /// A Prometheus Operator `ServiceMonitor`.
    #[default]
    ServiceMonitor,
    /// `prometheus.io/scrape` pod annotations.
    Annotations,
    /// Nothing scrapes the endpoint.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum RouteLabel {
    /// The route template (`/orders/:id`): bounded label values.
    #[default]
    Template,
    /// The raw request path (`/orders/42`): one time series per id (A16).
    RawPath,
}

/// The alert rules, with the thresholds of docs/defaults.md#observability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Alerts {
    /// 5xx share of all requests, in percent (fires above 5 %).
    pub error_rate: Alert,
    /// p95 request duration, in milliseconds (fires above 2000 ms).
    pub latency_p95: Alert,
    /// Container restarts within one hour (fires above 5; the seed's table says 3, A16).
    pub crash_looping: Alert,
    /// CPU use, in percent of the limit (fires above 80 %).
    pub cpu_saturation: Alert,
    /// Memory use, in percent of the limit (fires above 85 %).
    pub memory_saturation: Alert,
}

impl Default for Alerts {
    fn default() -> Self {
        Alerts {
            error_rate: Alert::new(5, 5, AlertSeverity::Critical),
            latency_p95: Alert::new(2000, 5, AlertSeverity::Warning),
            crash_looping: Alert::new(5, 10, AlertSeverity::Critical),
            cpu_saturation: Alert::new(80, 10, AlertSeverity::Warning),
            memory_saturation: Alert::new(85, 10, AlertSeverity::Warning),
        }
    }
}

/// One Prometheus alert rule: fires when the measure stays above `threshold` for `for_minutes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Alert {
    pub enabled: bool,
    /// In the unit of the alert (percent, milliseconds or restarts).
    pub threshold: u32,
    pub for_minutes: u32,
    pub severity: AlertSeverity,
}

impl Default for Alert {
    fn default() -> Self {
        Alert::new(0, 5, AlertSeverity::Warning)
    }
}

impl Alert {
    pub fn new(threshold: u32, for_minutes: u32, severity: AlertSeverity) -> Self {
        Alert {
            enabled: true,
            threshold,
            for_minutes,
            severity,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum AlertSeverity {
    /// Pages someone.
    Critical,
    /// Shows on the dashboard and in chat.
    #[default]
    Warning,
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Logging {
    pub format: LogFormat,
    /// Every request's lines carry `request_id` (UUID4), method, path and status, and the
    /// response returns the id in `X-Request-ID`.
    pub request_id: bool,
    /// Where every environment's logs are collected.
    pub sink: LogSink,
}

impl Default for Logging {
    fn default() -> Self {
        Logging {
            format: LogFormat::Json,
            request_id: true,
            sink: LogSink::Loki,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum LogFormat {
    #[default]
    Json,
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum LogSink {
    #[default]
    Loki,
    Elk,
    /// The platform's own log view (Railway, CloudWatch).
    Platform,
    None,
}

/// OpenTelemetry tracing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Tracing {
    pub enabled: bool,
    pub exporter: TraceExporter,
    /// Collector endpoint, e.g. `http://otel-collector:4318`.
    pub endpoint: String,
    /// `service.name`; empty means the project name.
    pub service_name: String,
}

impl Default for Tracing {
    fn default() -> Self {
        Tracing {
            enabled: true,
            exporter: TraceExporter::Otlp,
            endpoint: "http://otel-collector:4318".to_owned(),
            service_name: String::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum TraceExporter {
    #[default]
    Otlp,
    Jaeger,
    Tempo,
}

/// Error tracking (Sentry or compatible), with the DSN read from a declared secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ErrorTracking {
    pub enabled: bool,
    /// Name of the secret (in `secrets`) holding the DSN.
    pub dsn_secret: String,
}

impl Default for ErrorTracking {
    fn default() -> Self {
        ErrorTracking {
            enabled: true,
            dsn_secret: "SENTRY_DSN".to_owned(),
        }
    }
}
