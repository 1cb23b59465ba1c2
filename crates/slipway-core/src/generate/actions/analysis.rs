//! Blue-green's pre-promotion analysis (ROLLOUT-008): after the deploy lands on the idle colour,
//! a step asks Prometheus about that colour's error rate and p95 latency, against the limits in
//! the chart's `analysis` values, and fails the deploy when they are exceeded, before anyone
//! switches traffic to it.
//!
//! Why a workflow step and not an Argo Rollouts AnalysisRun: the blue-green chart is two plain
//! Deployments and a Service, so the cluster may have no Argo Rollouts controller to run one.
//! The step needs nothing in the cluster but Prometheus: it starts a short-lived curl pod in
//! the release's namespace (where the deploy may already create pods), queries Prometheus's
//! in-cluster address through `kubectl exec`, and deletes the pod when done.

use super::{block, inert, Teach};
use crate::facts::analysis::judged;
use crate::facts::cloud::namespace;
use crate::facts::naming::chart_name;
use crate::formats::yaml::Map;
use crate::model::{Design, RolloutStrategy, Service};

/// Minutes the check may add to a deploy job: `failureLimit + 1` measurements, one interval
/// apart, with the chart's defaults (3 × 60 s), up to two minutes for the query pod to start
/// and a minute for the requests.
pub(super) fn extra_minutes(design: &Design) -> u32 {
    if design
        .services
        .iter()
        .any(|service| checks(design, service))
    {
        6
    } else {
        0
    }
}

fn checks(design: &Design, service: &Service) -> bool {
    service.kubernetes.rollout.strategy == RolloutStrategy::BlueGreen && judged(design, service)
}

/// The step that judges the idle colour of a blue-green `service`, when its releases are judged;
/// `env` gives it the cluster access of the deploy step before it.
pub(super) fn idle_colour_step(
    design: &Design,
    service: &Service,
    only_if: Option<String>,
    env: Map,
) -> Option<Map> {
    if !checks(design, service) {
        return None;
    }
    let chart = chart_name(service);
    let namespace = namespace(service);
    let script = SCRIPT
        .replace("@chart@", &chart)
        .replace("@namespace@", &namespace)
        .replace("@curl-image@", crate::facts::image::CURL_IMAGE);
    Some(
        Map::new()
            .entry("name", inert(&format!("Judge the idle colour of {chart} by its metrics")))
            .optional("if", only_if)
            .entry("run", block(&script))
            .note(
                "Pre-promotion analysis (ROLLOUT-008): the idle colour's error rate and p95 latency \
                 against analysis.* in the chart's values, before the switch, asked of Prometheus \
                 from a short-lived curl pod in the release's namespace.",
            )
            .entry("env", env),
    )
}

/// The check, in bash. `@chart@` and `@namespace@` are identifiers (`[a-z0-9-]`); every other
/// input is read from the release's values at run time and validated before use, and reaches
/// the pod as an argument of `kubectl exec`, never through a shell.
const SCRIPT: &str = r#"values="$(helm get values @chart@ --namespace @namespace@ --all --output json)"
if [ "$(jq -r '.analysis.enabled' <<< "$values")" != true ]; then
  echo "::notice::analysis.enabled is off in the chart's values: nothing judges the idle colour."
  exit 0
fi
idle=blue
[ "$(jq -r '.blueGreen.activeColor' <<< "$values")" = blue ] && idle=green
interval="$(jq -r '.analysis.interval' <<< "$values")"
failure_limit="$(jq -r '.analysis.failureLimit' <<< "$values")"
address="$(jq -r '.analysis.prometheus.address' <<< "$values")"
if ! [[ "$interval" =~ ^([0-9]+)([sm])$ ]]; then
  echo "::error::analysis.interval must be seconds or minutes, like 60s."
  exit 1
fi
seconds="${BASH_REMATCH[1]}"
[ "${BASH_REMATCH[2]}" = m ] && seconds=$((seconds * 60))
if ! [[ "$failure_limit" =~ ^[0-9]+$ ]]; then
  echo "::error::analysis.failureLimit must be a whole number."
  exit 1
fi
if ! [[ "$address" =~ ^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._/-]*)?$ ]]; then
  echo "::error::analysis.prometheus.address must be a URL, like http://prometheus-operated.monitoring.svc:9090."
  exit 1
fi
# Prometheus is reached from inside the cluster, by a short-lived pod in the release's own
# namespace: the deploy may create pods there, and needs no access to Prometheus's namespace.
pod="@chart@-analysis-$GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT"
kubectl create --namespace @namespace@ -f - <<MANIFEST
apiVersion: v1
kind: Pod
metadata:
  name: $pod
  labels:
    app.kubernetes.io/name: @chart@-analysis
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    runAsUser: 100
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: query
      image: @curl-image@
      command: ["sleep", "900"]
      resources:
        requests: {cpu: 10m, memory: 16Mi}
        limits: {cpu: 100m, memory: 32Mi}
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: [ALL]
MANIFEST
trap 'kubectl delete pod "$pod" --namespace @namespace@ --wait=false' EXIT
kubectl wait pod "$pod" --namespace @namespace@ --for=condition=Ready --timeout=120s
# The idle colour's pods only: the ServiceMonitor copies their version label onto every series.
pods="namespace=\"@namespace@\", version=\"$idle\""
# name, PromQL, limit (a number from the values, or null when that metric is off)
metrics=(
  "error rate|sum(rate(http_requests_total{$pods, status=~\"5..\"}[2m])) / sum(rate(http_requests_total{$pods}[2m]))|$(jq '.analysis.errorRate | if .enabled then .threshold / 100 else null end' <<< "$values")"
  "p95 latency (s)|histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{$pods}[2m])))|$(jq '.analysis.latencyP95 | if .enabled then .threshold / 1000 else null end' <<< "$values")"
)
failures=0
for measurement in $(seq $((failure_limit + 1))); do
  sleep "$seconds"
  failed=0
  for metric in "${metrics[@]}"; do
    IFS='|' read -r name query limit <<< "$metric"
    [ "$limit" = null ] && continue
    if ! answer="$(kubectl exec "$pod" --namespace @namespace@ -- curl --fail --silent --show-error --max-time 20 --get --data-urlencode "query=$query" "$address/api/v1/query")"; then
      echo "::error::Prometheus at $address did not answer: the $idle colour could not be judged."
      exit 1
    fi
    value="$(jq -r '.data.result[0].value[1] // "none"' <<< "$answer")"
    # No requests reached the idle colour (empty or NaN): no evidence against it.
    verdict="$(jq -rn --arg value "$value" --argjson limit "$limit" 'if $value == "none" or $value == "NaN" then "no data" elif $value == "+Inf" or ($value | tonumber) > $limit then "over" else "ok" end')"
    echo "Measurement $measurement, $idle colour: $name = $value (limit $limit): $verdict"
    [ "$verdict" = over ] && failed=1
  done
  # A measurement fails when either metric is over its limit.
  failures=$((failures + failed))
  if [ "$failures" -gt "$failure_limit" ]; then
    echo "::error::The $idle colour failed $failures measurements: do not switch traffic to it."
    exit 1
  fi
done
echo "The $idle colour passed its analysis; switch traffic to it with blueGreen.activeColor=$idle."
"#;
