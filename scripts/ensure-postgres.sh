#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with a role and a
# database for keepsim's tests, installing (apt) and starting it if needed.
# Prints the URL to use as KEEPSIM_TEST_DATABASE_URL on its last line.
set -euo pipefail

ROLE=keepsim
PASSWORD=keepsim
DB=keepsim
HOST=127.0.0.1
PORT=5432

log() { echo "ensure-postgres: $*" >&2; }

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi
}

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    log "PostgreSQL is not installed; installing it with apt"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql postgresql-client >&2
fi

if ! pg_isready -q -h "$HOST" -p "$PORT"; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    log "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
    for _ in $(seq 1 60); do
        pg_isready -q -h "$HOST" -p "$PORT" && break
        sleep 0.5
    done
fi
pg_isready -h "$HOST" -p "$PORT" >&2

as_postgres psql -v ON_ERROR_STOP=1 -q -d postgres >&2 <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
        CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
    ELSE
        ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
    END IF;
END
\$\$;
SQL
if ! as_postgres psql -Atq -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    as_postgres createdb -O "$ROLE" "$DB" >&2
fi

echo "postgres://$ROLE:$PASSWORD@$HOST:$PORT/$DB"
