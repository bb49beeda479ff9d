#!/usr/bin/env bash
# Full-load benchmark of the sf311 pipeline on a synthetic export.
#
#   runners/bench/full-load.sh [rows=1000000] [runner=FlinkRunner]
#
# Generates (or reuses, from /tmp/intake-bench/) a synthetic SF 311 export in the real export
# format with dev.intake.testdata.GenerateExport, runs one full load of it into a fresh temporary
# lake, samples the JVM's peak resident memory every 0.5 s and prints rows, file size, wall time,
# rows/s, peak RSS and the run summary's read/written/superseded/rejected, next to what the
# generator says a correct load gives.
#
# Builds nothing. Needs runners/target/intake.jar and testdata/target/intake-testdata-*.jar.
# Environment: HEAP (default 4g, the run's -Xmx), SEED (42), DUPLICATE_SHARE (0.1),
# INVALID_SHARE (0.01), BENCH_DIR (/tmp/intake-bench), KEEP_LAKE=1 to keep the lake afterwards,
# EXTRA_ARGS (more intake options, e.g. "--parallelism=1 --flinkManagedMemory=512m"),
# RSS_TARGET_MB (a peak RSS target: prints the peak's ratio to it).
set -euo pipefail

rows="${1:-1000000}"
runner="${2:-FlinkRunner}"
seed="${SEED:-42}"
dup_share="${DUPLICATE_SHARE:-0.1}"
inv_share="${INVALID_SHARE:-0.01}"
bench_dir="${BENCH_DIR:-/tmp/intake-bench}"

[[ "$rows" =~ ^[0-9]+$ ]] || { echo "full-load: rows must be a number, got '$rows'" >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

intake_jar="runners/target/intake.jar"
testdata_jar=""
for j in testdata/target/intake-testdata-*.jar; do
  case "$j" in *-sources.jar|*-tests.jar|*-javadoc.jar) continue ;; esac
  if [[ -f "$j" ]]; then testdata_jar="$j"; fi
done
if [[ ! -f "$intake_jar" || -z "$testdata_jar" ]]; then
  echo "full-load: missing ${intake_jar} or testdata/target/intake-testdata-*.jar; build them: (cd $root && mvn -B -o -q package -DskipTests)" >&2
  exit 2
fi

# --- the input: generated once per rows/seed/shares, reused afterwards ---------------------------
data_dir="$bench_dir/sf311-rows${rows}-seed${seed}-dup${dup_share}-inv${inv_share}"
input="$data_dir/export.csv"
gen_summary="$data_dir/generator.txt"
mkdir -p "$data_dir"
if [[ -f "$input" && -s "$gen_summary" ]]; then
  echo "full-load: reusing $input"
else
  echo "full-load: generating $rows rows into $input"
  gen_start=$(date +%s.%N)
  java -Xmx512m -cp "$testdata_jar" dev.intake.testdata.GenerateExport \
    --rows="$rows" --seed="$seed" --duplicateShare="$dup_share" --invalidShare="$inv_share" \
    --output="$input" > "$gen_summary.tmp"
  mv "$gen_summary.tmp" "$gen_summary"
  awk -v s="$gen_start" -v e="$(date +%s.%N)" 'BEGIN { printf "full-load: generated in %.1f s\n", e - s }'
fi
echo "full-load: generator: $(cat "$gen_summary")"

# --- the run --------------------------------------------------------------------------------------
lake="$(mktemp -d "$bench_dir/lake.XXXXXX")"
log="$lake.log"
args=(run --dataset=sf311 --inputFile="$input" --lakePath="$lake" --runner="$runner")
if [[ "$runner" == "FlinkRunner" ]]; then
  args+=("--flinkMaster=[local]")
fi
if [[ -n "${EXTRA_ARGS:-}" ]]; then
  read -r -a extra <<< "$EXTRA_ARGS"
  args+=("${extra[@]}")
fi
echo "full-load: java -Xmx${HEAP:-4g} -jar $intake_jar ${args[*]}  (log: $log)"

start=$(date +%s.%N)
java -Xmx"${HEAP:-4g}" -jar "$intake_jar" "${args[@]}" > "$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' INT TERM

peak_kb=0
anon_kb=0
file_kb=0
cpu_ticks=0
while kill -0 "$pid" 2>/dev/null; do
  # VmHWM is the kernel's own peak; VmRSS covers kernels without it. Keep the max seen.
  if status="$(cat "/proc/$pid/status" 2>/dev/null)"; then
    for kb in $(awk '/^(VmHWM|VmRSS):/ { print $2 }' <<< "$status"); do
      if (( kb > peak_kb )); then peak_kb=$kb; fi
    done
    # Anonymous memory (heap, off-heap buffers) apart from mapped files, to tell them apart.
    read -r a f <<< "$(awk '/^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { print a + 0, f + 0 }' <<< "$status")"
    if (( a > anon_kb )); then anon_kb=$a; fi
    if (( f > file_kb )); then file_kb=$f; fi
  fi
  # CPU time (user + system, in clock ticks) so far: on a busy machine a fairer figure than wall.
  if stat_line="$(cat "/proc/$pid/stat" 2>/dev/null)"; then
    cpu_ticks=$(awk '{ print $12 + $13 }' <<< "${stat_line##*) }" 2>/dev/null || echo "$cpu_ticks")
  fi
  sleep 0.5
done
rc=0
wait "$pid" || rc=$?
end=$(date +%s.%N)
trap - INT TERM

# --- the figures -----------------------------------------------------------------------------------
summary_json="$(ls -t "$lake"/runs/sf311/*.json 2>/dev/null | head -n 1 || true)"
field() { # field NAME: a top-level number or string of the run summary
  if [[ -z "$summary_json" ]]; then echo "?"; return; fi
  if command -v jq > /dev/null; then
    jq -r --arg k "$1" '.[$k] // "?"' "$summary_json"
  else
    sed -n -E "s/^  \"$1\" : \"?([^\",]*)\"?,?\$/\\1/p" "$summary_json" | head -n 1
  fi
}

size_mb=$(awk -v b="$(stat -c %s "$input")" 'BEGIN { printf "%.1f", b / 1e6 }')
wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
rate=$(awk -v r="$rows" -v w="$wall" 'BEGIN { printf "%.0f", (w > 0 ? r / w : 0) }')
peak_mb=$(awk -v k="$peak_kb" 'BEGIN { printf "%.0f", k / 1024 }')

echo
echo "rows            $rows"
echo "file size MB    $size_mb"
echo "runner          $runner ($(field runner))"
echo "heap (-Xmx)     ${HEAP:-4g}"
echo "extra options   ${EXTRA_ARGS:-none}"
echo "exit code       $rc"
echo "status          $(field status)"
echo "wall seconds    $wall"
echo "rows/s          $rate"
echo "CPU seconds     $(awk -v t="$cpu_ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }') (user + system of the run's JVM, last sample)"
echo "peak RSS MB     $peak_mb (peak anonymous $(( anon_kb / 1024 )), peak mapped files $(( file_kb / 1024 )))"
if [[ -n "${RSS_TARGET_MB:-}" ]]; then
  echo "RSS vs target   $(awk -v p="$peak_mb" -v t="$RSS_TARGET_MB" 'BEGIN { printf "%.2f (%s MB of %s MB)", p / t, p, t }')"
fi
echo "read            $(field read)"
echo "written         $(field written)"
echo "superseded      $(field superseded)"
echo "rejected        $(field rejected)"
expected="$(sed -n -E 's/.*expected full load: (written=[0-9]+ superseded=[0-9]+ rejected=[0-9]+).*/\1/p' "$gen_summary")"
actual="written=$(field written) superseded=$(field superseded) rejected=$(field rejected)"
if [[ "$expected" == "$actual" ]]; then
  echo "check           as expected by the generator ($expected)"
else
  echo "check           MISMATCH: generator expects $expected, run reports $actual"
fi
if [[ -n "$summary_json" ]]; then
  echo "summary         $summary_json"
  if command -v jq > /dev/null; then
    jq -r '.rejectedByReason // {} | to_entries[] | "  rejected \(.key): \(.value)"' "$summary_json"
    err="$(jq -r '.error // empty' "$summary_json")"
    if [[ -n "$err" ]]; then echo "error           $err"; fi
  fi
fi

if (( rc != 0 )) || [[ "$(field status)" != "succeeded" ]]; then
  echo "full-load: the run failed (exit $rc); lake kept at $lake; last lines of $log:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
if [[ "${KEEP_LAKE:-0}" == "1" ]]; then
  echo "lake            $lake (kept; log $log)"
else
  rm -rf "$lake"
  echo "log             $log (lake removed; KEEP_LAKE=1 keeps it)"
fi
