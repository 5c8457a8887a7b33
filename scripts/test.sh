#!/usr/bin/env bash
# Runs every test keepsim has: unit and property tests, the store conformance
# suite on SQLite and on PostgreSQL, HTTP and CLI integration tests, the
# payment interop tests and the browser tests (e2e/).
# PostgreSQL is installed/started on demand (scripts/ensure-postgres.sh) unless
# KEEPSIM_TEST_DATABASE_URL already points at one.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${KEEPSIM_TEST_DATABASE_URL:-}" ]; then
    if url=$(bash scripts/ensure-postgres.sh | tail -n 1); then
        export KEEPSIM_TEST_DATABASE_URL="$url"
    else
        echo "test.sh: no PostgreSQL available; the PostgreSQL runs of the suites will be skipped" >&2
    fi
fi
echo "test.sh: PostgreSQL for tests: ${KEEPSIM_TEST_DATABASE_URL:-none}" | sed 's#://\([^:]*\):[^@]*@#://\1:***@#' >&2

status=0
cargo test --workspace --locked --no-fail-fast || status=$?

# Interop: the payment providers' own SDKs build notifications for a real keepsim.
if ! python3 -c "import stripe, alipay, wechatpayv3, diameter, pytest, requests" 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check -r tests/interop/requirements.txt
fi
cargo build -p keepsim --locked
export KEEPSIM_BIN="${KEEPSIM_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/debug/keepsim}"
python3 -m pytest -q -p no:cacheprovider tests/interop || status=$?

# Browser tests: playwright-core (npm, e2e/package-lock.json) drives Debian's
# headless chromium against the same binary; screenshots land in e2e/artifacts/.
browser_tests() {
    local chromium="${KEEPSIM_CHROMIUM:-/usr/bin/chromium}"
    if [ ! -x "$chromium" ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ -z "${KEEPSIM_CHROMIUM:-}" ]; then
            echo "test.sh: installing chromium with apt for the browser tests" >&2
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -qq >&2 && apt-get install -y -qq chromium >&2 || return 1
        else
            echo "test.sh: the browser tests need Chromium at $chromium: install Debian's package" \
                "(apt-get install chromium, as root) or set KEEPSIM_CHROMIUM to a Chromium binary" >&2
            return 1
        fi
    fi
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        echo "test.sh: the browser tests need Node.js 20.10 or later with npm (apt-get install nodejs npm)" >&2
        return 1
    fi
    if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 10) ? 0 : 1)'; then
        echo "test.sh: the browser tests need Node.js 20.10 or later (found $(node --version))" >&2
        return 1
    fi
    # npm ci when nothing is installed yet or package-lock.json changed since (npm ci writes node_modules/.package-lock.json).
    if [ ! -d e2e/node_modules/playwright-core ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
        npm ci --prefix e2e --no-audit --no-fund || return 1
    fi
    rm -rf e2e/artifacts
    npm test --prefix e2e
}
browser_tests || status=$?
exit $status
