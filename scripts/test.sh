#!/usr/bin/env bash
# The whole test suite: installs what the tests need, checks formatting, builds, runs every test.
# This is the README's test command and what .ci/run calls.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mkdir -p artifacts

echo "== test prerequisites"
export HOOKLINE_SPAMASSASSIN_DIR="$(scripts/corpus.sh)"
bash scripts/servers/install.sh

echo "== build"
if ! dotnet build Hookline.slnx -c Release > artifacts/build.log 2>&1; then
  grep -E "error" artifacts/build.log | sort -u >&2
  echo "build failed (artifacts/build.log)" >&2
  exit 1
fi

echo "== format"
dotnet format Hookline.slnx --verify-no-changes --no-restore

echo "== tests"
set +e
# One test assembly at a time (-m:1): the integration tests start real servers and a browser, and
# two cores shared by several of them at once turn timeouts into noise.
dotnet test Hookline.slnx -c Release --no-build -m:1 --logger "console;verbosity=minimal" 2>&1 | tee artifacts/test.log
status=${PIPESTATUS[0]}
set -e

# One closing line for the whole run, summed over the test assemblies.
passed=$(grep -oE 'Passed: +[0-9]+' artifacts/test.log | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' artifacts/test.log | awk '{s+=$2} END {print s+0}')
echo "tests: $passed passed, $failed failed"
exit "$status"
