#!/usr/bin/env bash
# The two set-up commands of the README, on a fresh machine:
#   ./run.sh dashboard [--port N]   build the warehouse from the bundled sample if there is none,
#                                   then serve the dashboard (http://127.0.0.1:8501/)
#   ./run.sh test [pytest args]     run every test (installs chromium and CJK fonts if missing)
# Anything else is passed to the `cadres` command line: ./run.sh refresh --raw DIR
set -euo pipefail
cd "$(dirname "$0")"

ensure_python_env() {
  if ! command -v uv >/dev/null 2>&1; then
    python3 -m pip install --quiet "uv==0.13.8"
  fi
  uv sync --frozen --quiet
}

ensure_browser() {
  if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    return
  fi
  local sudo=""
  if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
}

command="${1:-dashboard}"
shift || true
case "$command" in
  test)
    # Let Python keep the bytecode it compiles (some shells set PYTHONDONTWRITEBYTECODE): each
    # of the suite's hundreds of child processes (dbt, `cadres`) otherwise recompiles dbt,
    # MetricFlow and the rest from source, about 3.5 CPU s per dbt start (issue 12).
    unset PYTHONDONTWRITEBYTECODE
    ensure_browser
    ensure_python_env
    uv run --frozen ruff check warehouse dashboard tests
    # Two workers, one test file each at a time: the slow files (refreshes, browser) overlap.
    exec uv run --frozen pytest -n 2 --dist loadfile "$@"
    ;;
  *)
    ensure_python_env
    exec uv run --frozen cadres "$command" "$@"
    ;;
esac
