#!/usr/bin/env bash
# The triage evaluation: real mail wrapped in report envelopes, analysed by `hookline analyze --json`,
# one confusion row per source and variant:
#   delivered  the original as it arrived (the upstream filter's verdict fields as written)
#   inbox      the same with the verdict fields rewritten as if the filter had delivered it to the inbox
#              (SCL 1, SFV:NSPM, CAT:NONE, dest:I): the usual case for a reported phish, and the number to optimise.
# Sources: ../shared/corpora/phishing-pot-dev.tar.xz (when present; read here, never committed) and the
# SpamAssassin ham and spam (scripts/corpus.sh). Envelopes rotate: Microsoft's button, a third-party
# button, a user's forward. The honeypot's anonymised address is replaced by the reporter's.
# Usage: scripts/eval-triage.sh [--rules N] [--floor]   (--rules: the N most frequent rules per row, on stderr;
#        --floor: exit 1 when a figure falls under the floors below)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rules=0
floor=false
while [ $# -gt 0 ]; do
  case "$1" in
    --rules) rules="$2"; shift 2 ;;
    --floor) floor=true; shift ;;
    *) echo "usage: scripts/eval-triage.sh [--rules N] [--floor]" >&2; exit 2 ;;
  esac
done
cache="$root/.cache/eval"
mkdir -p "$cache"

sources=()
if pot="$(scripts/phishing-corpus.sh)"; then
  sources+=("phishing-pot=$pot")
else
  echo "no ../shared/corpora/phishing-pot-dev.tar.xz: SpamAssassin only" >&2
fi
sa="$(scripts/corpus.sh)"
sources+=("sa-ham=$sa/easy-ham-1" "sa-ham=$sa/easy-ham-2" "sa-ham=$sa/hard-ham-1" "sa-spam=$sa/spam-1" "sa-spam=$sa/spam-2")

dotnet build bench/Hookline.Triage.Evaluation -c Release -o "$cache/tool" >/dev/null
dotnet publish src/Hookline -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:RestoreLockedMode=true -o "$cache/bin" >/dev/null
tool="$cache/tool/Hookline.Triage.Evaluation"

# The organisation the reports come from.
cat > "$cache/settings.yaml" <<'YAML'
organization:
  name: Contoso
  domains: [contoso.com]
YAML

# One folder per source and variant (the SpamAssassin ham and spam parts are merged per source).
for variant in delivered inbox; do
  for entry in "${sources[@]}"; do
    name="${entry%%=*}"; dir="${entry#*=}"
    out="$cache/wrapped/$variant/$name"
    stamp="$out.$(basename "$dir").done"
    if [ ! -f "$stamp" ]; then
      mkdir -p "$out/$(basename "$dir")"
      "$tool" wrap "$dir" "$out/$(basename "$dir")" "$variant"
      touch "$stamp"
    fi
  done
done

"$tool" header
fail=0
for variant in delivered inbox; do
  for name in $(printf '%s\n' "${sources[@]}" | cut -d= -f1 | uniq); do
    result="$cache/$variant-$name.jsonl"
    "$cache/bin/hookline" analyze --json -q --settings "$cache/settings.yaml" "$cache/wrapped/$variant/$name" > "$result"
    row=$("$tool" tally "$name/$variant" "$result" --rules "$rules")
    echo "$row"
    if $floor && [ "$variant" = inbox ]; then
      notclean=$(echo "$row" | awk -F'|' '{gsub(/[ %]/,"",$9); print $9}')
      phish=$(echo "$row" | awk -F'|' '{gsub(/[ %]/,"",$10); print $10}')
      case "$name" in
        phishing-pot) awk "BEGIN{exit !($notclean < 97 || $phish < 65)}" && { echo "under the floor: $name not clean $notclean% (97), phishing $phish% (65)" >&2; fail=1; } ;;
        sa-ham) awk "BEGIN{exit !($notclean > 3 || $phish > 0.5)}" && { echo "over the ceiling: $name not clean $notclean% (3), phishing $phish% (0.5)" >&2; fail=1; } ;;
        sa-spam) awk "BEGIN{exit !($notclean < 80)}" && { echo "under the floor: $name not clean $notclean% (80)" >&2; fail=1; } ;;
      esac
    fi
  done
done
exit "$fail"
