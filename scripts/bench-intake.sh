#!/usr/bin/env bash
# Intake benchmark (issue 4): COUNT reports appended to a real Dovecot, taken in over IMAP into SQLite
# and into PostgreSQL, then analysed; prints reports/s for each. Usage: scripts/bench-intake.sh [COUNT]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/servers/install.sh
dotnet run -c Release --project bench/Hookline.Intake.Benchmarks -- "${1:-10000}"
