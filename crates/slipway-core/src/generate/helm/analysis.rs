//! Releases judged by metrics (ROLLOUT-008): values.yaml's `analysis` block and, for an Argo
//! Rollouts canary, the AnalysisTemplate its Rollout runs in the background. Blue-green has no
//! controller to run one: the deploy workflow asks Prometheus about the idle colour instead
//! (`generate/actions/analysis.rs`), reading the same values.

use super::chart::Shape;
use crate::facts::analysis::judged;
use crate::formats::yaml::Map;
use crate::model::{Design, Service};

/// The usual in-cluster address of a Prometheus run by the Prometheus Operator
/// (kube-prometheus-stack in the `monitoring` namespace).
pub const PROMETHEUS_ADDRESS: &str = "http://prometheus-operated.monitoring.svc:9090";

/// Seconds between two measurements.
pub const INTERVAL_SECONDS: u32 = 60;

/// Failed measurements tolerated before the analysis fails: the third one aborts.
pub const FAILURE_LIMIT: u32 = 2;

/// values.yaml's `analysis`: numbers only, in the design's units.
pub(super) fn values(design: &Design, service: &Service, shape: Shape) -> Map {
    let alerts = &design.observability.alerts;
    let metric = |enabled: bool, threshold: u32| {
        Map::new()
            .entry("enabled", enabled)
            .entry("threshold", threshold)
    };
    Map::new()
        .entry("enabled", judged(design, service))
        .comment(match shape {
            Shape::BlueGreen => {
                "The deploy workflow checks the idle colour against these limits before the switch."
            }
            _ => "The Rollout's background analysis (analysistemplate.yaml); off, nothing aborts a bad canary.",
        })
        .entry(
            "prometheus",
            Map::new().entry("address", PROMETHEUS_ADDRESS).comment(
                "Prometheus inside the cluster (kube-prometheus-stack's default Service).",
            ),
        )
        .entry("interval", format!("{INTERVAL_SECONDS}s"))
        .comment("Time between two measurements.")
        .entry("failureLimit", FAILURE_LIMIT)
        .comment("Failed measurements tolerated: one more aborts the release.")
        .entry(
            "errorRate",
            metric(alerts.error_rate.enabled, alerts.error_rate.threshold),
        )
        .comment("Largest 5xx share of the new version's requests, in % (OBS-003).")
        .entry(
            "latencyP95",
            metric(alerts.latency_p95.enabled, alerts.latency_p95.threshold),
        )
        .comment("Largest p95 request duration of the new version, in ms (OBS-004).")
}

pub const ANALYSIS_TEMPLATE: &str = r#"{{- if .Values.analysis.enabled }}
{{- /*
The canary's own pods: Argo Rollouts labels each version's pods with its pod template hash, the
ServiceMonitor copies that label onto every series (podTargetLabels), and the Rollout passes the
new version's hash as the canary-hash argument; the args.canary-hash placeholder is Argo
Rollouts' own syntax, which Helm writes out untouched.
*/}}
{{- $pods := printf "namespace=%q, rollouts_pod_template_hash=%q" .Release.Namespace "{{args.canary-hash}}" }}
{{- $analysis := .Values.analysis }}
# How Argo Rollouts judges a canary (ROLLOUT-008). The Rollout runs this template in the
# background from its first pause on: every `interval` each metric asks Prometheus about the
# canary's pods only, and more than `failureLimit` failed measurements abort the rollout, which
# sends all traffic back to the stable version. The limits are the design's alert thresholds
# (OBS-003, OBS-004), set in values.yaml under analysis.
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: {{ include "@chart@.fullname" . | quote }}
  labels:
    {{- include "@chart@.labels" . | nindent 4 }}
  annotations:
    {{- include "@chart@.policyAnnotations" . | nindent 4 }}
spec:
  args:
    # The new version's pod template hash, given by the Rollout.
    - name: canary-hash
  metrics:
    {{- with $analysis.errorRate }}
    {{- if .enabled }}
    # Share of the canary's requests answered with a 5xx over the last 2 minutes. No requests
    # yet (an empty or NaN result) is no evidence against it: the measurement passes.
    - name: error-rate
      interval: {{ $analysis.interval | quote }}
      failureLimit: {{ int $analysis.failureLimit }}
      successCondition: {{ printf "len(result) == 0 || isNaN(result[0]) || result[0] <= %v" (divf (int .threshold) 100) | quote }}
      provider:
        prometheus:
          address: {{ $analysis.prometheus.address | quote }}
          query: |-
            sum(rate(http_requests_total{ {{- $pods }}, status=~"5.."}[2m])) / sum(rate(http_requests_total{ {{- $pods }}}[2m]))
    {{- end }}
    {{- end }}
    {{- with $analysis.latencyP95 }}
    {{- if .enabled }}
    # 95th percentile of the canary's request durations over the last 2 minutes, in seconds.
    - name: latency-p95
      interval: {{ $analysis.interval | quote }}
      failureLimit: {{ int $analysis.failureLimit }}
      successCondition: {{ printf "len(result) == 0 || isNaN(result[0]) || result[0] <= %v" (divf (int .threshold) 1000) | quote }}
      provider:
        prometheus:
          address: {{ $analysis.prometheus.address | quote }}
          query: |-
            histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{ {{- $pods }}}[2m])))
    {{- end }}
    {{- end }}
{{- end }}
"#;

/// The Rollout's background analysis, inserted in its `strategy.canary` block.
pub const ROLLOUT_ANALYSIS: &str = r#"      {{- if .Values.analysis.enabled }}
      # Judged by metrics (analysistemplate.yaml, ROLLOUT-008): a background analysis from the
      # first pause on watches the canary through every pause, which are its observation
      # windows, and ends with the rollout. A failing error rate or p95 latency aborts the
      # rollout: traffic returns to the stable version without waiting for anyone.
      analysis:
        templates:
          - templateName: {{ include "@chart@.fullname" . | quote }}
        startingStep: 1
        args:
          - name: canary-hash
            valueFrom:
              podTemplateHashValue: Latest
      {{- end }}
"#;
