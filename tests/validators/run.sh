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
# checked as a Deployment (rollout_as_deployment.py); ExternalSecrets, the Prometheus Operator's
# ServiceMonitor and PrometheusRule, and Argo Rollouts' AnalysisTemplate get structural checks
# (and Argo CD's objects, below).
check_chart() {
  local label="$1" dir="$2"
  local chart
  for chart in "$dir"/charts/*/; do
    [ -d "$chart" ] || continue
    chart="${chart%/}"
    # A design without environments (an imported repository that deploys nowhere yet) has
    # only the chart's defaults to render.
    local environments=("$chart"/values/*.yaml)
    [ -f "${environments[0]}" ] || environments=("$chart/values.yaml")
    check "$label: yamllint chart values" yamllint -s -d '{extends: relaxed, rules: {line-length: disable}}' "$chart/Chart.yaml" "$chart/values.yaml" "${environments[@]}"
    local values env rendered
    for values in "${environments[@]}"; do
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
      # And Argo Rollouts' AnalysisTemplate with the Rollout that runs it: analysis_check.py.
      check "$label: analysis $env" python3 "$ROOT/tests/validators/analysis_check.py" "$rendered"
      # An imported repository's workload settings are its own choices, which Slipway reports
      # as findings with fixes; the policy check holds the designs Slipway proposes.
      [ "${policy:-yes}" = yes ] || continue
      check "$label: checkov kubernetes $env" checkov --quiet --compact --framework kubernetes -d "$rendered"
    done
  done
}

for preset in $("$slipway" presets | awk '{ print $1 }'); do
  dir="$OUT/$preset"
  "$slipway" export --preset "$preset" --out "$dir" 2>/dev/null
  check_chart "$preset" "$dir"
  # Argo CD's Application and AppProject (GitOps environments): argocd_check.py, against the
  # charts as check_chart rendered them.
  if [ -d "$dir/argocd" ]; then
    check "$preset: argocd" python3 "$ROOT/tests/validators/argocd_check.py" "$dir" "$OUT/rendered/$preset"
  fi
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
# tests/repos holds other projects' workflows, imported in the tests: not this repository's.
check "dogfood: checkov github_actions" checkov --quiet --compact --framework github_actions -d . --skip-path tests/repos
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
variant canary-without-analysis go-service services.0.kubernetes.rollout.analysis=false
variant blue-green-without-analysis rust-service services.0.kubernetes.rollout.analysis=false
# GitOps: staging deployed by CI instead (its values leave the PostSync smoke test off), and
# smoke jobs after the promotions (they write a job summary instead of probing before the sync).
variant gitops-staging-pushed go-service environments.0.delivery=push
variant gitops-smoke-jobs go-service 'pipeline.jobs.+={id: smoke-staging, name: Smoke-test staging, kind: smoke, needs: [deploy-staging], environment: staging}' 'pipeline.jobs.+={id: smoke-production, name: Smoke-test production, kind: smoke, needs: [deploy-production], environment: production}'
# Images pushed to Amazon ECR: Terraform adds one repository per pushed image (immutable tags,
# scan on push, KMS encryption, a lifecycle policy) and the image push role CI assumes with
# GitHub's OIDC token (image_push.tf), which checkov checks here with the keyless workflows.
# With reads=yes, deploy jobs without a deploy role read the images with their environment's
# image read role (image_read.tf), and no workflow names a registry secret.
variant_infra() {
  local label="$1" dir
  dir="$(export_variant "$@")"
  check "variant $label: image repositories in main.tf" grep -q 'resource "aws_ecr_repository"' "$dir/infra/main.tf"
  check "variant $label: image push role" grep -q 'resource "aws_iam_role" "image_push"' "$dir/infra/image_push.tf"
  if [ "${reads:-no}" = yes ]; then
    check "variant $label: image read role" grep -q 'resource "aws_iam_role" "image_read"' "$dir/infra/image_read.tf"
    check "variant $label: no registry secrets" bash -c '! grep -l "REGISTRY_PASSWORD" "$@"' _ "$dir"/.github/workflows/*.yml
  fi
  check "variant $label: hcl-check infra/" hcl-check "$dir/infra/"
  check "variant $label: checkov terraform" checkov --quiet --compact --framework terraform -d "$dir/infra"
  local workflows=("$dir"/.github/workflows/*.yml)
  check "variant $label: actionlint workflows" actionlint -no-color -ignore 'is deprecated in GitHub Actions' "${workflows[@]}"
  check "variant $label: checkov github_actions" checkov --quiet --compact --framework github_actions -d "$dir"
  check_zizmor "variant $label" "$dir"
}
variant_infra ecr-registry web-api-worker pipeline.registry=123456789012.dkr.ecr.eu-west-1.amazonaws.com
# Without EKS the image push file also brings GitHub's OIDC provider, and the deploys, which
# reach their clusters with a KUBECONFIG secret, read the images with image read roles.
reads=yes variant_infra ecr-registry-without-eks web-api-worker pipeline.registry=123456789012.dkr.ecr.eu-west-1.amazonaws.com infrastructure.eks.enabled=false
# Production delivered by Argo CD: its state has no deploy role but owns the image repositories,
# and an image read role for the promotion.
reads=yes variant_infra ecr-registry-gitops-production web-api-worker pipeline.registry=123456789012.dkr.ecr.eu-west-1.amazonaws.com environments.1.delivery=gitops
# Every environment delivered by Argo CD: no deploy role anywhere, each promotion reads the
# images with its environment's image read role, trusted through the image push file's provider.
reads=yes variant_infra ecr-registry-gitops go-service pipeline.registry=123456789012.dkr.ecr.eu-west-1.amazonaws.com

# Real repositories (tests/repos) imported and exported again. What Slipway writes itself is
# held to the same tools: the workflows, compose file, charts, Railway configs and Terraform.
# What the repository chose is kept as it chose it, and Slipway's rules report it with their
# fixes: the scripts in run steps and the Dockerfiles' instructions (shellcheck through
# actionlint, hadolint) and the workload's security settings (checkov). Here those are held
# to their syntax and schemas only: actionlint without shellcheck, dockerfile-check, helm
# lint and template, kubernetes-validate.
for fixture in "$ROOT"/tests/repos/*/; do
  name="$(basename "$fixture")"
  label="imported $name"
  dir="$OUT/imported-$name"
  "$slipway" import "$fixture" --out "$dir.yaml" 2>/dev/null
  "$slipway" export "$dir.yaml" --out "$dir" 2>/dev/null
  workflows=("$dir"/.github/workflows/*.yml)
  check "$label: actionlint workflows" actionlint -no-color -shellcheck= -ignore 'is deprecated in GitHub Actions' "${workflows[@]}"
  check "$label: check-jsonschema workflows" check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}"
  check_zizmor "$label" "$dir"
  check "$label: check-jsonschema compose.yaml" check-jsonschema --builtin-schema vendor.compose-spec "$dir/compose.yaml"
  while IFS= read -r dockerfile; do
    check "$label: dockerfile-check ${dockerfile#"$dir"/}" dockerfile-check "$dockerfile"
  done < <(find "$dir" \( -name Dockerfile -o -name '*.Dockerfile' \) -type f | sort)
  while IFS= read -r config; do
    check "$label: check-jsonschema ${config#"$dir"/}" check-jsonschema --schemafile "${DEVOPS_VALIDATORS:-$HOME/.cache/devops-validators}/share/railway.schema.json" "$config"
  done < <(find "$dir" -name 'railway*.json' -type f | sort)
  [ -d "$dir/charts" ] && policy=no check_chart "$label" "$dir"
  if [ -d "$dir/infra" ] && ls "$dir"/infra/*.tf >/dev/null 2>&1; then
    check "$label: hcl-check infra/" hcl-check "$dir/infra/"
  fi
done

echo "validators: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
