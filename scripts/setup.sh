# shellcheck shell=bash
# Installs whatever this project needs and is missing; sourced by scripts/serve and
# scripts/test. Every step checks first, so a second run takes seconds.
#
# Needs: rustup/cargo, node and npm. Installs: the wasm32 target, rustfmt and clippy, trunk,
# stylance-cli, wasm-bindgen-cli (the version in Cargo.lock), npm packages (binaryen, playwright-core)
# and, for tests, Debian's chromium + chromium-driver and the third-party validators.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
STYLANCE_VERSION="0.8.4"
VALIDATORS="${SLIPWAY_VALIDATORS:-$HOME/.cache/devops-validators}"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$VALIDATORS/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "error: $1 is required ($2)" >&2; exit 2; }
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_rust() {
  need cargo "install Rust with rustup: https://rustup.rs"
  need rustup "install Rust with rustup"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  local components
  components="$(rustup component list --installed)"
  for component in rustfmt clippy; do
    if ! grep -q "^$component" <<<"$components"; then
      say "adding rustup component $component"
      rustup component add "$component"
    fi
  done
}

# cargo_tool BINARY VERSION INSTALL-ARGS...: installs when the binary is missing or another version.
cargo_tool() {
  local binary="$1" version="$2"
  shift 2
  if "$binary" --version 2>/dev/null | grep -qF " $version"; then return; fi
  say "installing $binary $version (one-time, several minutes)"
  cargo install "$@"
}

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_web_tools() {
  cargo_tool trunk "$TRUNK_VERSION" "trunk@$TRUNK_VERSION" --locked
  cargo_tool stylance "$STYLANCE_VERSION" "stylance-cli@$STYLANCE_VERSION" --locked
  local bindgen
  bindgen="$(wasm_bindgen_version)"
  # Not --locked: wasm-bindgen-cli's own lockfile names a crate version this registry lacks.
  cargo_tool wasm-bindgen "$bindgen" wasm-bindgen-cli --version "=$bindgen"
  if ! grep -qx "wasm_bindgen = \"$bindgen\"" "$ROOT/Trunk.toml"; then
    echo "error: Trunk.toml's wasm_bindgen must equal Cargo.lock's wasm-bindgen ($bindgen)" >&2
    exit 2
  fi
}

ensure_node_packages() {
  need node "install Node.js 20 or newer"
  need npm "install npm"
  if [ ! -f "$ROOT/node_modules/.package-lock.json" ] ||
    [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    say "installing node packages (binaryen, playwright-core, axe-core)"
    (cd "$ROOT" && npm ci --no-fund --no-audit --loglevel=error)
  fi
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then return; fi
  say "installing Debian's chromium and chromium-driver"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
}

ensure_validators() {
  # The installer is idempotent and quick once done; zizmor came after the first stamp, so an
  # install without the pinned zizmor runs it again to add it.
  if [ -f "$VALIDATORS/.installed-v1" ] &&
    "$VALIDATORS/bin/zizmor" --version 2>/dev/null | grep -qx 'zizmor 1.32.0'; then return; fi
  say "installing the third-party validators (hadolint, actionlint, checkov, zizmor, ...)"
  bash "$ROOT/scripts/validators/install.sh" "$VALIDATORS"
}
