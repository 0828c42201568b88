#!/usr/bin/env bash
# Prints a PostgreSQL URL for the test suite. Uses SIGHTLINE_TEST_POSTGRES_URL when it is already
# set; otherwise starts the machine's local cluster (creating one if needed) and a throwaway role
# and database. Diagnostics go to stderr; only the URL goes to stdout.
set -euo pipefail

if [[ -n "${SIGHTLINE_TEST_POSTGRES_URL:-}" ]]; then
  echo "$SIGHTLINE_TEST_POSTGRES_URL"
  exit 0
fi

as_postgres() {
  if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
sudo=""
[[ "$(id -u)" -ne 0 ]] && sudo="sudo"

cluster="$(pg_lsclusters -h 2>/dev/null | head -n1 || true)"
if [[ -z "$cluster" ]]; then
  version="$(ls /usr/lib/postgresql | sort -n | tail -n1)"
  echo "Creating PostgreSQL $version cluster 'main'" >&2
  $sudo pg_createcluster "$version" main >&2
  cluster="$(pg_lsclusters -h | head -n1)"
fi
read -r version name port status _ <<<"$cluster"
if [[ "$status" != online* ]]; then
  echo "Starting PostgreSQL $version/$name on port $port" >&2
  $sudo pg_ctlcluster "$version" "$name" start >&2
fi
for _ in $(seq 1 30); do
  as_postgres pg_isready -q -p "$port" && break
  sleep 0.5
done

role=sightline_test
password=sightline_test
database=sightline_test
as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 >/dev/null <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$password';
  END IF;
END
\$\$;
-- The test workers (pytest-xdist) each create a database of their own.
ALTER ROLE $role CREATEDB;
SQL
if ! as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  as_postgres createdb -p "$port" -O "$role" "$database"
fi
echo "postgresql://$role:$password@127.0.0.1:$port/$database"
