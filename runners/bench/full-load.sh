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
# Before Intake, unless REFERENCE=none, the same job runs in DuckDB on the same file
# (dev.intake.bench.DuckDbFullLoad: parse, validate, dedup newest-by-key, derive, daily and monthly
# aggregates, month-partitioned Snappy Parquet, DUCKDB_THREADS threads), measured the same way, and
# the last lines print both runs side by side with Intake's wall-time ratio to DuckDB's.
#
# Builds nothing. Needs runners/target/intake.jar, runners/bench/target/intake-bench.jar and
# testdata/target/intake-testdata-*.jar.
# Environment: INTAKE_JAR (runners/target/intake.jar; e.g. a copy of the build before a change), HEAP (default 4g, the run's -Xmx), SEED (42), DUPLICATE_SHARE (0.1),
# INVALID_SHARE (0.01), BENCH_DIR (/tmp/intake-bench), KEEP_LAKE=1 to keep the lake afterwards,
# REFERENCE (duckdb, or none), DUCKDB_THREADS (2), JAVA_OPTS (extra JVM flags for Intake's run,
# e.g. -XX:StartFlightRecording=filename=/tmp/x.jfr,settings=profile), INTAKE_ARGS or EXTRA_ARGS
# (more intake options, e.g. "--parallelism=1 --flinkManagedMemory=512m"), RSS_TARGET_MB (a peak
# RSS target: prints the peak's ratio to it).
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

intake_jar="${INTAKE_JAR:-runners/target/intake.jar}"
testdata_jar=""
for j in testdata/target/intake-testdata-*.jar; do
  case "$j" in *-sources.jar|*-tests.jar|*-javadoc.jar) continue ;; esac
  if [[ -f "$j" ]]; then testdata_jar="$j"; fi
done
bench_jar="runners/bench/target/intake-bench.jar"
reference="${REFERENCE:-duckdb}"
if [[ "$reference" == "duckdb" && ! -f "$bench_jar" ]]; then
  echo "full-load: missing ${bench_jar} for the DuckDB reference (REFERENCE=none skips it); build it: (cd $root && mvn -B -o -q package -DskipTests)" >&2
  exit 2
fi
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

# measure LOG CMD...: runs CMD with its output in LOG, sampling its peak resident memory and its
# CPU time (user + system, the last sample: up to 0.5 s short) every 0.5 s; sets rc, wall and cpu
# (seconds) and peak_mb. CPU time is the figure to compare on a machine shared with other work.
measure() {
  local log="$1"; shift
  local start end kb status
  start=$(date +%s.%N)
  "$@" > "$log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true' INT TERM
  peak_kb=0
  anon_kb=0
  file_kb=0
  cpu_ticks=0
  while kill -0 "$pid" 2>/dev/null; do
    if stat_line="$(cat "/proc/$pid/stat" 2>/dev/null)"; then
      # Fields 14 and 15 (utime, stime) after the command name in parentheses.
      cpu_ticks=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' <<< "$stat_line")
    fi
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
    sleep 0.5
  done
  rc=0
  wait "$pid" || rc=$?
  end=$(date +%s.%N)
  trap - INT TERM
  wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
  peak_mb=$(awk -v k="$peak_kb" 'BEGIN { printf "%.0f", k / 1024 }')
  cpu=$(awk -v t="$cpu_ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }')
}

# --- the reference: DuckDB doing the same job on the same file -------------------------------------
if [[ "$reference" == "duckdb" ]]; then
  ref_out="$(mktemp -d "$bench_dir/duckdb.XXXXXX")"
  echo "full-load: DuckDB reference (${DUCKDB_THREADS:-2} threads) into $ref_out"
  measure "$ref_out.log" java -Xmx1g -cp "$intake_jar:$bench_jar" dev.intake.bench.DuckDbFullLoad \
    --input="$input" --output="$ref_out" --threads="${DUCKDB_THREADS:-2}"
  if (( rc != 0 )); then
    echo "full-load: the DuckDB reference failed (exit $rc):" >&2
    tail -n 20 "$ref_out.log" >&2
    exit 1
  fi
  ref_wall="$wall"; ref_cpu="$cpu"; ref_peak_mb="$peak_mb"; ref_line="$(tail -n 1 "$ref_out.log")"
  echo "full-load: $ref_line (wall ${ref_wall} s, CPU ${ref_cpu} s, peak RSS ${ref_peak_mb} MB)"
  if [[ "${KEEP_LAKE:-0}" != "1" ]]; then rm -rf "$ref_out"; fi
fi

# --- the run --------------------------------------------------------------------------------------
lake="$(mktemp -d "$bench_dir/lake.XXXXXX")"
log="$lake.log"
args=(run --dataset=sf311 --inputFile="$input" --lakePath="$lake" --runner="$runner")
if [[ "$runner" == "FlinkRunner" ]]; then
  args+=("--flinkMaster=[local]")
fi
# shellcheck disable=SC2206
extra_args=(${INTAKE_ARGS:-${EXTRA_ARGS:-}})
# shellcheck disable=SC2206
java_opts=(${JAVA_OPTS:-})
args+=("${extra_args[@]}")
# shellcheck source=launcher.sh
source "$root/runners/bench/launcher.sh"
launcher "$intake_jar" "${HEAP:-4g}" "${java_opts[@]}"
warm_launcher "$intake_jar"
echo "full-load: ${launch[*]} ${args[*]}  (log: $log)"
measure "$log" "${launch[@]}" "${args[@]}"

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
rate=$(awk -v r="$rows" -v w="$wall" 'BEGIN { printf "%.0f", (w > 0 ? r / w : 0) }')

echo
echo "rows            $rows"
echo "file size MB    $size_mb"
echo "runner          $runner ($(field runner))"
echo "heap (-Xmx)     ${HEAP:-4g}"
echo "extra options   ${INTAKE_ARGS:-${EXTRA_ARGS:-none}}"
echo "exit code       $rc"
echo "status          $(field status)"
echo "wall seconds    $wall"
echo "CPU seconds     $cpu"
echo "rows/s          $rate"
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

if [[ "$reference" == "duckdb" ]]; then
  ref_rate=$(awk -v r="$rows" -v w="$ref_wall" 'BEGIN { printf "%.0f", (w > 0 ? r / w : 0) }')
  echo
  echo "                 wall s   rows/s    CPU s   peak RSS MB"
  printf "DuckDB         %8s %8s %8s %13s\n" "$ref_wall" "$ref_rate" "$ref_cpu" "$ref_peak_mb"
  printf "Intake         %8s %8s %8s %13s\n" "$wall" "$rate" "$cpu" "$peak_mb"
  awk -v i="$wall" -v d="$ref_wall" -v ic="$cpu" -v dc="$ref_cpu" -v im="$peak_mb" -v dm="$ref_peak_mb" \
    'BEGIN { printf "ratio          %7.1fx %17.1fx %12.1fx   (Intake / DuckDB; target: wall <= 3.0x)\n", i / d, (dc > 0 ? ic / dc : 0), im / dm }'
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
