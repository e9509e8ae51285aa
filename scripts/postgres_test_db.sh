#!/usr/bin/env bash
# Starts the local PostgreSQL cluster and makes the role and database the tests use.
# The role may create databases because pytest-django creates test_<name> itself.
set -euo pipefail
read -r version cluster _ < <(pg_lsclusters -h | head -n1) || true
if [ -z "${version:-}" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -n1)
  cluster=main
  pg_createcluster "$version" "$cluster" >/dev/null
fi
pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='helhedsplan'\" | grep -q 1 || psql -qc \"CREATE ROLE helhedsplan LOGIN CREATEDB PASSWORD 'helhedsplan'\""
as_postgres "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='helhedsplan'\" | grep -q 1 || createdb -O helhedsplan helhedsplan"
