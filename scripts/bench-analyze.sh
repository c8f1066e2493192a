#!/usr/bin/env bash
# End-to-end benchmark of `hookline analyze --json`, whole process, Release build:
#   1. the SpamAssassin public corpus (6,046 real messages), and
#   2. a larger mix: the corpus plus N generated modern messages (Exchange headers, HTML, attachments), and,
#      when ../shared/corpora/phishing-pot-dev.tar.xz exists (read here at run time, never committed),
#   3. the real phishing set alone, and
#   4. "real mail": the SpamAssassin corpus and the phishing set together in one folder.
# Without the tarball only 1 and 2 run. Prints the command's own summary line (files/s, MB/s) for the best of 3 runs of each.
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
sets=(spamassassin "mix-$generated")
if pot="$(scripts/phishing-corpus.sh)"; then
  if [ ! -d "$bench/real-mail" ]; then
    mkdir -p "$bench/real-mail/spamassassin" "$bench/real-mail/phishing-pot"
    cp "$bench"/spamassassin/* "$bench/real-mail/spamassassin/"
    cp "$pot"/* "$bench/real-mail/phishing-pot/"
  fi
  sets+=(real-mail/phishing-pot real-mail)
else
  echo "no ../shared/corpora/phishing-pot-dev.tar.xz: SpamAssassin and the mix only" >&2
fi
# ReadyToRun: precompiled, as Hookline would be deployed; a one-shot batch otherwise pays the JIT for every library it touches.
dotnet publish src/Hookline -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:RestoreLockedMode=true -o "$bench/bin" >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for set in "${sets[@]}"; do
  best=""
  for run in 1 2 3; do
    line=$("$bench/bin/hookline" analyze --json "$bench/$set" 2>&1 >/dev/null | tail -n 1)
    mbs=$(echo "$line" | sed -E 's/.* ([0-9.]+) MB\/s.*/\1/')
    if [ -z "$best" ] || awk "BEGIN{exit !($mbs > $(echo "$best" | sed -E 's/.* ([0-9.]+) MB\/s.*/\1/'))}"; then best="$line"; fi
  done
  echo "$set: $best"
done
