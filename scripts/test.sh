#!/usr/bin/env bash
# Runs every test keepsim has: unit and property tests, the store conformance
# suite on SQLite and on PostgreSQL, HTTP and CLI integration tests.
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
exit $status
