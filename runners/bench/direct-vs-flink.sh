#!/usr/bin/env bash
# The DirectRunner against its reference, embedded Flink, on the same input in one command.
#
#   runners/bench/direct-vs-flink.sh [rows=50000]
#
# Runs runners/bench/full-load.sh with the DirectRunner, then with embedded Flink, on the same
# generated export, and prints both wall times and their ratio (DirectRunner / Flink). The
# environment of full-load.sh applies to both runs. Builds nothing.
set -euo pipefail

rows="${1:-50000}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(mktemp -d "${TMPDIR:-/tmp}/direct-vs-flink.XXXXXX")"

for runner in DirectRunner FlinkRunner; do
  echo "direct-vs-flink: $runner, $rows rows"
  "$here/full-load.sh" "$rows" "$runner" | tee "$out/$runner.txt"
done
wall() { sed -n -E 's/^wall seconds +([0-9.]+)$/\1/p' "$out/$1.txt"; }
rss() { sed -n -E 's/^peak RSS MB +([0-9]+).*/\1/p' "$out/$1.txt"; }
direct="$(wall DirectRunner)"
flink="$(wall FlinkRunner)"
echo
echo "rows                   $rows"
echo "DirectRunner seconds   $direct (peak RSS $(rss DirectRunner) MB)"
echo "embedded Flink seconds $flink (peak RSS $(rss FlinkRunner) MB)"
awk -v d="$direct" -v f="$flink" 'BEGIN { printf "ratio Direct/Flink     %.2f\n", d / f }'
rm -rf "$out"
