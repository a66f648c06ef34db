#!/usr/bin/env bash
# Install everything the test suite needs, then run ruff, mypy and the whole pytest suite.
#   - Python: a virtual environment in .venv with mlcoach and its dev dependencies (pinned).
#   - Debian: chromium for the browser tests, poppler-utils (pdftoppm) to render PDF pages in the
#     publishing tests (each installed only when missing).
# Extra arguments go to pytest, e.g. `./scripts/test.sh -k store -x`.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing Debian packages for the tests: ${need[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# Lint and types first: they take seconds and catch what the tests would find slowly.
echo "ruff:" && .venv/bin/ruff check src tests scripts benchmarks
echo "mypy:" && .venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
