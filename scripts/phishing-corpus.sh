#!/usr/bin/env bash
# Prints the folder of the real phishing corpus, unpacked once into .cache/corpora from
# ../shared/corpora/phishing-pot-dev.tar.xz (read at evaluation time, never committed); prints
# nothing and exits 1 when the tarball is not there. Used by eval-triage.sh and bench-analyze.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tarball="$root/../shared/corpora/phishing-pot-dev.tar.xz"
[ -f "$tarball" ] || exit 1
if [ -z "$(find "$root/.cache/corpora" -name 'sample-1.eml' -print -quit 2>/dev/null)" ]; then
  mkdir -p "$root/.cache/corpora"
  echo "unpacking the phishing corpus into .cache/corpora" >&2
  tar -xJf "$tarball" -C "$root/.cache/corpora"
fi
dirname "$(find "$root/.cache/corpora" -name 'sample-1.eml' -print -quit)"
