#!/usr/bin/env bash
# End-to-end benchmark of `hookline analyze --json`, whole process, Release build:
#   1. the SpamAssassin public corpus (6,046 real messages), and
#   2. a larger mix: the corpus plus N generated modern messages (Exchange headers, HTML, attachments).
# Prints the command's own summary line (files/s, MB/s) for the best of 3 runs of each.
# Usage: scripts/bench-analyze.sh [GENERATED_COUNT]   (default 3000)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
generated="${1:-3000}"
data="$(scripts/corpus.sh)"
bench="$root/.cache/bench"
if [ ! -d "$bench/spamassassin" ]; then
  mkdir -p "$bench/spamassassin"
  find "$data" -name '*.txt' -exec cp -t "$bench/spamassassin" {} +
fi
if [ ! -d "$bench/mix-$generated" ]; then
  mkdir -p "$bench/mix-$generated"
  cp "$bench"/spamassassin/* "$bench/mix-$generated/"
  dotnet run -c Release --project bench/Hookline.Mime.Benchmarks -- write-mix "$bench/mix-$generated" "$generated" >/dev/null
fi
# ReadyToRun: precompiled, as Hookline would be deployed; a one-shot batch otherwise pays the JIT for every library it touches.
dotnet publish src/Hookline -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$bench/bin" >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for set in spamassassin "mix-$generated"; do
  best=""
  for run in 1 2 3; do
    line=$("$bench/bin/hookline" analyze --json "$bench/$set" 2>&1 >/dev/null | tail -n 1)
    mbs=$(echo "$line" | sed -E 's/.* ([0-9.]+) MB\/s.*/\1/')
    if [ -z "$best" ] || awk "BEGIN{exit !($mbs > $(echo "$best" | sed -E 's/.* ([0-9.]+) MB\/s.*/\1/'))}"; then best="$line"; fi
  done
  echo "$set: $best"
done
