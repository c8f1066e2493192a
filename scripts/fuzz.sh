#!/usr/bin/env bash
# Long fuzz run of the MIME parser: scripts/fuzz.sh [--seconds N] [--seed S] [--corpus DIR] [--out DIR] [--timeout SEC]
# Failing inputs go to artifacts/fuzz-crashes/ (with their seed and iteration); exits non-zero when any was found.
# Replay one: scripts/fuzz.sh --replay artifacts/fuzz-crashes/<file>.eml
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/Hookline.Fuzz -c Release --nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet tests/Hookline.Fuzz/bin/Release/net10.0/Hookline.Fuzz.dll "$@"
