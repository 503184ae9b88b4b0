#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh machine, then run it.
#   - a virtual environment in .venv with Cairn and its test dependencies
#   - Chromium (Debian package) for the web page tests, if it is missing
#   - Neo4j Community is fetched from Maven Central and started by the tests
#     themselves (tests/neo4j/server.sh), so Java 17 and Maven must be present.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -c constraints.txt -e ".[test]"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "warning: could not install chromium; the browser tests will fail" >&2
  else
    echo "warning: chromium is not installed (apt-get install chromium); the browser tests will fail" >&2
  fi
fi

# Two workers (pytest-xdist) fit the 2-core CI machine; each starts its own Neo4j.
exec .venv/bin/python -m pytest -q -n "${CAIRN_TEST_WORKERS:-2}" "$@"
