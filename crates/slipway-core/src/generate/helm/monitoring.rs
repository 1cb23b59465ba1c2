//! The chart's Prometheus Operator objects: a ServiceMonitor for a web service's metrics
//! endpoint (OBS-001) and a PrometheusRule with the design's alerts (OBS-003..006), each
//! switched by `monitoring.*.enabled` in values.yaml.

use super::chart::Shape;
use crate::formats::yaml::Map;
use crate::model::{Alert, Design, Scrape, Service};
use crate::text::url_path;

/// values.yaml's `monitoring`: the design's switches and alert settings, in the design's units.
pub(super) fn values(design: &Design, service: &Service, shape: Shape) -> Map {
    let observability = &design.observability;
    let alerts = &observability.alerts;
    // ServiceMonitor scraping is the design's word that the cluster runs the operator.
    let operator = observability.metrics.scrape == Scrape::ServiceMonitor;
    let web = service.kind.is_web();
    let all = [
        (
            "errorRate",
            &alerts.error_rate,
            "5xx share of requests, in % (OBS-003).",
        ),
        (
            "latencyP95",
            &alerts.latency_p95,
            "p95 request duration, in ms (OBS-004).",
        ),
        (
            "crashLooping",
            &alerts.crash_looping,
            "Container restarts within an hour (OBS-005).",
        ),
        (
            "cpuSaturation",
            &alerts.cpu_saturation,
            "CPU use, in % of the limit (OBS-006).",
        ),
        (
            "memorySaturation",
            &alerts.memory_saturation,
            "Memory use, in % of the limit (OBS-006).",
        ),
    ];
    let rules = &all[if web { 0 } else { 2 }..];
    let mut rule_values = Map::new()
        .entry(
            "enabled",
            operator && rules.iter().any(|(_, alert, _)| alert.enabled),
        )
        .comment("Off when the design scrapes without the operator or turns every alert off.");
    for (key, alert, what) in rules {
        rule_values = rule_values.entry(*key, alert_values(alert)).comment(*what);
    }
    let mut map = Map::new()
        .entry("labels", Map::new())
        .comment("Extra labels on both objects, for a Prometheus that selects them by label")
        .comment("(kube-prometheus-stack: release: <its release name>).");
    if web {
        let metrics = &observability.metrics;
        let mut monitor = Map::new()
            .entry("enabled", metrics.enabled && operator)
            .entry("path", url_path(metrics.path.trim()));
        if let Some(label) = version_label(shape) {
            monitor = monitor
                .entry("podTargetLabels", vec![label])
                .comment("Pod label copied onto every series: tells the new version's metrics from")
                .comment("the old one's (ROLLOUT-008).");
        }
        map = map
            .entry("serviceMonitor", monitor)
            .comment("Scrapes path on the Service's http port (OBS-001).");
    }
    map.entry("prometheusRule", rule_values).comment(if web {
        "The design's alerts: each fires above threshold, held for `for` (OBS-003..006)."
    } else {
        "The design's alerts, without the HTTP ones: a worker serves no requests."
    })
}

/// The pod label that tells the two versions of a progressive release apart.
fn version_label(shape: Shape) -> Option<&'static str> {
    match shape {
        Shape::BlueGreen => Some("version"),
        Shape::CanaryRatio => Some("track"),
        // Argo Rollouts labels each version's pods with its pod template hash.
        Shape::CanaryArgo => Some("rollouts-pod-template-hash"),
        Shape::Rolling | Shape::Cron => None,
    }
}

fn alert_values(alert: &Alert) -> Map {
    Map::new()
        .entry("enabled", alert.enabled)
        .entry("threshold", alert.threshold)
        .entry("for", format!("{}m", alert.for_minutes))
        .entry("severity", alert.severity.id())
}

pub const SERVICE_MONITOR: &str = r#"{{- if .Values.monitoring.serviceMonitor.enabled }}
# The Prometheus Operator scrapes the metrics path on the http port of every Service with the
# app's selector labels (OBS-001). Needs the operator's CRDs; without them set
# monitoring.serviceMonitor.enabled=false.
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "@chart@.fullname" . | quote }}
  labels:
    {{- include "@chart@.labels" . | nindent 4 }}
    {{- with .Values.monitoring.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    {{- include "@chart@.policyAnnotations" . | nindent 4 }}
spec:
  selector:
    matchLabels:
      {{- include "@chart@.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: {{ .Values.monitoring.serviceMonitor.path | quote }}
  {{- with .Values.monitoring.serviceMonitor.podTargetLabels }}
  # Copied from the pods onto every series, so queries can tell the new version from the old
  # one (ROLLOUT-008).
  podTargetLabels:
    {{- range . }}
    - {{ . | quote }}
    {{- end }}
  {{- end }}
{{- end }}
"#;

const RULE_HEAD: &str = r#"{{- if .Values.monitoring.prometheusRule.enabled }}
{{- $name := include "@chart@.fullname" . }}
{{- $rules := .Values.monitoring.prometheusRule }}
{{- /* This release's pods: <fullname>[-blue|-green|-canary]-<hash>-<id>. */}}
{{- $pods := printf "namespace=%q, pod=~%q" .Release.Namespace (printf "%s(-blue|-green|-canary)?-[a-z0-9]+-[a-z0-9]+" $name) }}
# The design's alerts for the Prometheus Operator, which loads them into Prometheus. Threshold,
# `for` and severity of each come from monitoring.prometheusRule in values.yaml.
@worker@apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ $name | quote }}
  labels:
    {{- include "@chart@.labels" . | nindent 4 }}
    {{- with .Values.monitoring.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    {{- include "@chart@.policyAnnotations" . | nindent 4 }}
spec:
  groups:
    - name: {{ $name | quote }}
      rules:
"#;

const WORKER_NOTE: &str =
    "# A worker serves no port and has no Service, so nothing scrapes it (no ServiceMonitor or\n\
# PodMonitor): its alerts read kube-state-metrics and cAdvisor, which Prometheus scrapes anyway.\n";

/// One alert; `@key@` is its entry under `monitoring.prometheusRule`.
const RULE: &str = r#"        {{- with $rules.@key@ }}
        {{- if .enabled }}
        # @what@
        - alert: @name@
          expr: |-
            @expr@
          for: {{ .for | quote }}
          labels:
            severity: {{ .severity | quote }}
            service: {{ $name | quote }}
          annotations:
            summary: "{{ $name }}: @summary@"
            description: "@description@"
        {{- end }}
        {{- end }}
"#;

/// key, alert, comment, PromQL, summary, description. The first two read HTTP metrics.
const ALERTS: [[&str; 6]; 5] = [
    [
        "errorRate",
        "HighErrorRate",
        "Share of 5xx responses over 5 minutes (OBS-003).",
        r#"sum(rate(http_requests_total{ {{- $pods }}, status=~"5.."}[5m])) / sum(rate(http_requests_total{ {{- $pods }}}[5m])) > {{ divf .threshold 100 }}"#,
        "more than {{ .threshold }} % of requests fail",
        "{{`{{ $value | humanizePercentage }}`}} of requests got a 5xx answer. Check the latest deploy (helm rollback) and the logs of the failing routes.",
    ],
    [
        "latencyP95",
        "HighLatency",
        "95th percentile of request durations over 5 minutes (OBS-004).",
        r#"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{ {{- $pods }}}[5m]))) > {{ divf .threshold 1000 }}"#,
        "p95 latency above {{ .threshold }} ms",
        "The p95 request duration is {{`{{ $value | humanizeDuration }}`}}. Look for a slow dependency, a lock or CPU throttling.",
    ],
    [
        "crashLooping",
        "PodCrashLooping",
        "Container restarts within an hour, from kube-state-metrics (OBS-005).",
        r#"increase(kube_pod_container_status_restarts_total{ {{- $pods }}, container="app"}[1h]) > {{ .threshold }}"#,
        "a pod keeps restarting",
        "{{`{{ $labels.pod }}`}} restarted {{`{{ $value | humanize }}`}} times in the last hour. kubectl logs --previous shows why it exited.",
    ],
    [
        "cpuSaturation",
        "HighCpu",
        "CPU use against the container's limit (OBS-006).",
        r#"sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{ {{- $pods }}, container="app"}[5m])) / sum by (namespace, pod) (kube_pod_container_resource_limits{ {{- $pods }}, container="app", resource="cpu"}) > {{ divf .threshold 100 }}"#,
        "CPU near its limit",
        "{{`{{ $labels.pod }}`}} uses {{`{{ $value | humanizePercentage }}`}} of its CPU limit; above it the pod is throttled. Scale out or raise resources.limits.cpu.",
    ],
    [
        "memorySaturation",
        "HighMemory",
        "Memory use against the container's limit (OBS-006).",
        r#"max by (namespace, pod) (container_memory_working_set_bytes{ {{- $pods }}, container="app"}) / max by (namespace, pod) (container_spec_memory_limit_bytes{ {{- $pods }}, container="app"} > 0) > {{ divf .threshold 100 }}"#,
        "memory near its limit",
        "{{`{{ $labels.pod }}`}} uses {{`{{ $value | humanizePercentage }}`}} of its memory limit; at the limit it is OOM-killed. Look for a leak or raise resources.limits.memory.",
    ],
];

/// `prometheusrule.yaml`: the HTTP alerts only for a service that serves HTTP.
pub(super) fn prometheus_rule(web: bool) -> String {
    let mut out = RULE_HEAD.replace("@worker@", if web { "" } else { WORKER_NOTE });
    for [key, name, what, expr, summary, description] in &ALERTS[if web { 0 } else { 2 }..] {
        out.push_str(
            &RULE
                .replace("@key@", key)
                .replace("@name@", name)
                .replace("@what@", what)
                .replace("@expr@", expr)
                .replace("@summary@", summary)
                .replace("@description@", description),
        );
    }
    out.push_str("{{- end }}\n");
    out
}
