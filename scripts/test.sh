#!/usr/bin/env bash
# The whole suite: static checks, then pytest on SQLite and on PostgreSQL. Fails when any leg fails
# or runs no tests. Called by `make test` and so by .ci/run.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
PY=$VENV/bin/python
PG_URL=${WEERBAAR_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/weerbaar}
WORKERS=${WEERBAAR_TEST_WORKERS:-2}
RESULTS=var/test-results
mkdir -p "$RESULTS"
export DJANGO_SETTINGS_MODULE=weerbaar.settings
failed=0

step() { printf '\n=== %s ===\n' "$*"; }

step "ruff"
$VENV/bin/ruff check . || failed=1
$VENV/bin/ruff format --check . || failed=1
step "mypy"
$VENV/bin/mypy || failed=1
step "makemigrations --check"
DATABASE_URL="sqlite:///$(mktemp -u)" $PY manage.py makemigrations --check --dry-run || failed=1
if [ $failed -ne 0 ]; then
  echo "Statische controles mislukt; de tests worden niet gedraaid." >&2
  exit 1
fi

step "PostgreSQL bereikbaar?"
pg_ready() { $PY scripts/pg_ready.py "$PG_URL"; }
if ! pg_ready; then
  echo "PostgreSQL op 127.0.0.1:5432 antwoordt niet; proberen het cluster te starten…"
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do pg_ready && break; sleep 1; done
  fi
fi
if ! pg_ready; then
  echo "PostgreSQL is niet bereikbaar op 127.0.0.1:5432 (gebruiker postgres, trust)." >&2
  echo "Start het met: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2
  exit 1
fi

run_leg() {
  local name=$1 url=$2 vendor=$3; shift 3
  step "pytest op $name"
  DATABASE_URL="$url" WEERBAAR_EXPECT_DB_VENDOR="$vendor" \
    $VENV/bin/pytest -n "$WORKERS" --junitxml="$RESULTS/$name.xml" "$@"
  local code=$?
  if [ $code -eq 5 ]; then
    echo "Het $name-deel draaide geen enkele test: dat telt als mislukt." >&2
    return 1
  fi
  return $code
}

run_leg sqlite "sqlite:///$PWD/var/test.sqlite3" sqlite || failed=1
run_leg postgresql "$PG_URL" postgresql -m "not browser" || failed=1

step "samenvatting"
$PY scripts/test_summary.py "$RESULTS/sqlite.xml" "$RESULTS/postgresql.xml" || failed=1
exit $failed
