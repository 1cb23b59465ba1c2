#!/usr/bin/env bash
# Exports every preset with the CLI and runs the third-party validators on what it wrote.
# Any finding from a validator fails the run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
cd "$ROOT"
cargo build -q --locked -p slipway-cli
slipway="$ROOT/target/debug/slipway"

passed=0
failed=0
check() {
  local name="$1"
  shift
  if output="$("$@" 2>&1)"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL %s\n%s\n' "$name" "$output"
  fi
}

# zizmor (GitHub Actions security: template injection, dangerous triggers, permissions, unpinned
# actions and images, environment-file writes; Dependabot's cooldown) on a bundle's workflows and
# dependabot.yml. The pedantic persona includes every default finding; --offline keeps it from
# calling GitHub. Suppressions are inline comments in the generated files, beside their reason.
check_zizmor() {
  local label="$1" dir="$2"
  local files=("$dir"/.github/workflows/*.yml)
  [ -f "$dir/.github/dependabot.yml" ] && files+=("$dir/.github/dependabot.yml")
  check "$label: zizmor" zizmor --offline --no-progress --persona pedantic "${files[@]}"
}

# The Helm chart of an exported bundle, rendered with each environment's values file (as the
# deploy does), then checked: helm lint + template, the Kubernetes schemas (strict), checkov.
# Argo Rollouts' Rollout has no schema or policies in these tools, so its pod template is also
# checked as a Deployment (rollout_as_deployment.py); ExternalSecrets and the Prometheus Operator's
# ServiceMonitor and PrometheusRule get structural checks.
check_chart() {
  local label="$1" dir="$2"
  local chart
  for chart in "$dir"/charts/*/; do
    [ -d "$chart" ] || continue
    chart="${chart%/}"
    check "$label: yamllint chart values" yamllint -s -d '{extends: relaxed, rules: {line-length: disable}}' "$chart/Chart.yaml" "$chart/values.yaml" "$chart"/values/*.yaml
    local values env rendered
    for values in "$chart"/values/*.yaml; do
      env="$(basename "$values" .yaml)"
      rendered="$OUT/rendered/$label/$env"
      check "$label: helm-check $env" helm-check "$chart" -f "$values" --out "$rendered"
      [ -d "$rendered" ] || continue
      python3 "$ROOT/tests/validators/rollout_as_deployment.py" "$rendered" >/dev/null
      check "$label: kubernetes-validate $env" kubernetes-validate --strict --quiet "$rendered"/*.yaml
      # ExternalSecret is a CRD kubernetes-validate has no schema for: its own structural check.
      local prefix="$env"
      [ "$env" = production ] && prefix=prod
      check "$label: external secrets $env" python3 "$ROOT/tests/validators/external_secret_check.py" "$rendered" "$prefix"
      # So are ServiceMonitor and PrometheusRule (Prometheus Operator): monitoring_check.py.
      check "$label: monitoring $env" python3 "$ROOT/tests/validators/monitoring_check.py" "$rendered"
      check "$label: checkov kubernetes $env" checkov --quiet --compact --framework kubernetes -d "$rendered"
    done
  done
}

for preset in $("$slipway" presets | awk '{ print $1 }'); do
  dir="$OUT/$preset"
  "$slipway" export --preset "$preset" --out "$dir" 2>/dev/null
  check_chart "$preset" "$dir"
  check "$preset: check-jsonschema compose.yaml" check-jsonschema --builtin-schema vendor.compose-spec "$dir/compose.yaml"
  check "$preset: yamllint compose.yaml" yamllint -s -d '{extends: relaxed, rules: {line-length: disable}}' "$dir/compose.yaml"
  # One Dockerfile per service: <folder>/Dockerfile, or <folder>/<name>.Dockerfile.
  while IFS= read -r dockerfile; do
    file="${dockerfile#"$dir"/}"
    check "$preset: hadolint $file" hadolint --no-color "$dockerfile"
    check "$preset: dockerfile-check $file" dockerfile-check "$dockerfile"
    check "$preset: checkov dockerfile $file" checkov --quiet --compact --framework dockerfile -f "$dockerfile"
  done < <(find "$dir" \( -name Dockerfile -o -name '*.Dockerfile' \) -type f | sort)
  check "$preset: hcl-check infra/" hcl-check "$dir/infra/"
  # checkov exits 0 on parse errors, so hcl-check above is the syntax gate; skips are documented
  # in the generated files and in docs/checkov-skips.md.
  check "$preset: checkov terraform" checkov --quiet --compact --framework terraform -d "$dir/infra"
  # One Railway config per Railway service, in its folder.
  while IFS= read -r config; do
    check "$preset: check-jsonschema ${config#"$dir"/}" check-jsonschema --schemafile "${DEVOPS_VALIDATORS:-$HOME/.cache/devops-validators}/share/railway.schema.json" "$config"
  done < <(find "$dir" -name 'railway*.json' -type f | sort)
  check "$preset: yamllint slipway.yaml" yamllint -s -d '{extends: relaxed, rules: {line-length: disable}}' "$dir/slipway.yaml"
  workflows=("$dir"/.github/workflows/*.yml)
  check "$preset: actionlint workflows" actionlint -no-color -ignore 'is deprecated in GitHub Actions' "${workflows[@]}"
  check "$preset: check-jsonschema workflows" check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}"
  check "$preset: yamllint workflows" yamllint -s -d '{extends: relaxed, rules: {line-length: disable}}' "${workflows[@]}"
  # checkov finds workflows only under .github/workflows of the scanned directory.
  check "$preset: checkov github_actions" checkov --quiet --compact --framework github_actions -d "$dir"
  check_zizmor "$preset" "$dir"
  check "$preset: check-jsonschema dependabot.yml" check-jsonschema --builtin-schema vendor.dependabot "$dir/.github/dependabot.yml"
done
# Slipway's own deployment (deploy/slipway.yaml → the checked-in files; tests/dogfood.rs
# keeps them equal to what the design generates).
check "dogfood: hadolint Dockerfile" hadolint --no-color Dockerfile
check "dogfood: dockerfile-check Dockerfile" dockerfile-check Dockerfile
check "dogfood: checkov dockerfile" checkov --quiet --compact --framework dockerfile -f Dockerfile
check "dogfood: actionlint workflows" actionlint -no-color -ignore 'is deprecated in GitHub Actions' .github/workflows/*.yml
check "dogfood: check-jsonschema workflows" check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
check "dogfood: checkov github_actions" checkov --quiet --compact --framework github_actions -d .
check_zizmor "dogfood" .
# Shapes no preset uses: workers on Kubernetes (no Service, Ingress or HTTP probes; a CronJob
# when scheduled), a canary by replica ratio and a canary without an ingress.
# export_variant LABEL PRESET KEY=VALUE...: the preset's design with those keys set, exported
# into $OUT/variant-LABEL (printed).
export_variant() {
  local label="$1" preset="$2"
  shift 2
  local dir="$OUT/variant-$label"
  mkdir -p "$dir"
  # Only the folder goes to stdout: the caller reads it.
  python3 "$ROOT/tests/validators/design_variant.py" "$OUT/$preset/slipway.yaml" "$dir.yaml" "$@" >&2
  "$slipway" export "$dir.yaml" --out "$dir" >&2 2>/dev/null
  echo "$dir"
}
variant() {
  local label="$1" dir
  dir="$(export_variant "$@")"
  check_chart "variant $label" "$dir"
  check_zizmor "variant $label" "$dir"
}
variant cron-worker-on-kubernetes worker-cron services.0.kubernetes.enabled=true
variant worker-on-kubernetes worker-cron services.0.kubernetes.enabled=true "services.0.railway.cron_schedule=''"
variant canary-replica-ratio go-service services.0.kubernetes.rollout.canary_engine=replica-ratio
variant canary-without-ingress go-service services.0.kubernetes.ingress.enabled=false
# Images pushed to Amazon ECR: Terraform adds one repository per pushed image (immutable tags,
# scan on push, KMS encryption, a lifecycle policy), which checkov checks here.
variant_infra() {
  local label="$1" dir
  dir="$(export_variant "$@")"
  check "variant $label: image repositories in main.tf" grep -q 'resource "aws_ecr_repository"' "$dir/infra/main.tf"
  check "variant $label: hcl-check infra/" hcl-check "$dir/infra/"
  check "variant $label: checkov terraform" checkov --quiet --compact --framework terraform -d "$dir/infra"
  check_zizmor "variant $label" "$dir"
}
variant_infra ecr-registry web-api-worker pipeline.registry=123456789012.dkr.ecr.eu-west-1.amazonaws.com

echo "validators: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
