#!/usr/bin/env bash
# Makes a PostgreSQL server available on 127.0.0.1:5432 with a role that may create
# databases (each store test makes its own), installing Debian's package when needed.
# Prints the admin URL for XIANCHENG_TEST_DATABASE_URL on stdout.
set -euo pipefail

role=xiancheng_test
password=xiancheng_test
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  echo "installing PostgreSQL (apt)..." >&2
  as_root apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
  as_root pg_createcluster "$version" main >&2
fi
cluster=$(pg_lsclusters -h | head -n 1 | awk '{print $1" "$2}')
if ! pg_lsclusters -h | head -n 1 | grep -q online; then
  as_root pg_ctlcluster $cluster start >&2
fi
port=$(pg_lsclusters -h | head -n 1 | awk '{print $3}')

for _ in $(seq 1 30); do
  if as_root su postgres -c "psql -p $port -tAc 'SELECT 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done
as_root su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -q" >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE $role OWNER $role' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$role')\gexec
SQL
echo "postgres://$role:$password@127.0.0.1:$port/$role"
