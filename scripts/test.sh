#!/usr/bin/env bash
# Runs every test: SQLite always, PostgreSQL when a server answers (required under CI=true),
# browser tests in Debian's Chromium (installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Chromium and fonts for the browser tests (Debian packages)..."
  as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q chromium fonts-dejavu-core
fi

pg_up() { "$BIN/python" - <<'PY'
import sys, psycopg
try:
    psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=3").close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr); sys.exit(1)
PY
}

if [ -z "${EW_TEST_DATABASE_URL:-}" ]; then
  if ! pg_up && [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then
    echo "Starting the local PostgreSQL cluster..."
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    sleep 2
  fi
  if pg_up; then
    export EW_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/test"
  elif [ "${CI:-}" = "true" ]; then
    echo "ERROR: CI needs PostgreSQL on 127.0.0.1:5432 (database test, trust auth) and none answers." >&2
    exit 1
  else
    echo "WARNING: no PostgreSQL on 127.0.0.1:5432; PostgreSQL tests will be skipped." >&2
  fi
fi

if [ -z "${EW_TEST_REDIS_URL:-}" ] && "$BIN/python" -c "import redis,sys; redis.Redis(host='127.0.0.1', socket_connect_timeout=2).ping()" 2>/dev/null; then
  export EW_TEST_REDIS_URL="redis://127.0.0.1:6379/15"
fi

export PYTHONPYCACHEPREFIX="${PYTHONPYCACHEPREFIX:-$(mktemp -d)}"  # fresh bytecode: warnings are errors
# Two cores run tests side by side (pytest-xdist); EW_TEST_WORKERS=0 runs them in this process.
workers=()
case " $* " in
  *" -n "*|*" -n="*|*" --numprocesses"*) ;;
  *) workers=(-n "${EW_TEST_WORKERS:-auto}") ;;
esac
exec "$BIN/python" -m pytest "${workers[@]}" "$@"
