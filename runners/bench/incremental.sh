#!/usr/bin/env bash
# Incremental-run benchmark of the sf311 pipeline: what a run of a few changed rows costs on a
# big lake, and whether that cost follows the change or the lake.
#
#   runners/bench/incremental.sh [rows=1000000] [changes=1000] [factors="1 5"]
#
# For each history factor k, builds once (and reuses, from $BENCH_DIR) a lake of k*rows rows whose
# history starts 17*k years before mid-2025, timing that full load as the reference. By default
# (HISTORY=older) the lake of factor k > 1 is the first lake's export plus (k-1)*rows rows of older
# history before it, whose cases are numbered past the first export's (GenerateExport --lastOpened
# --firstCase), and every factor runs the first lake's change files: the same changes onto the same
# touched partitions, holding the same rows, with k times the history beside them. HISTORY=longer
# builds each lake from one export of k*rows rows over the whole history instead, with change files
# of its own: rows grow over a history, so a longer one has more rows in the same recent months,
# and its spread changes land in older, other partitions (more partitions and rows to rewrite).
# Then, on a fresh copy of the lake each time, runs three incremental inputs (files of
# GenerateExport --changesOf):
#   skewed  $changes newest versions, 90% of cases opened in the last three months, 10% anywhere
#   spread  $changes newest versions of cases picked anywhere
#   quiet   no rows
# each twice, back to back: as Intake runs it (partitions found by the key + partition column
# pass) and with --readWholeLake (every stored row read, as before). Prints wall time,
# partitions rewritten, full rows read from the lake (replaced + carried over: the rewritten
# partitions) and written, the ratios to the whole-lake run, to the full load and (with two
# factors) of the largest lake to the first, and checks that both runs left the same rows
# (dev.intake.bench.CompareLakes: DuckDB EXCEPT ALL both ways over clean/ and aggregates/).
#
# Builds nothing. Needs runners/target/intake.jar, runners/bench/target/intake-bench.jar and
# testdata/target/intake-testdata-*.jar. Environment: HEAP (4g), SEED (42), BENCH_DIR
# (/tmp/intake-bench), MODES ("partitions whole"), KINDS ("skewed spread quiet"), HISTORY (older,
# or longer, see above), INTAKE_JAR
# (runners/target/intake.jar; e.g. a copy of the build before a change, to run both back to back).
set -euo pipefail

rows="${1:-1000000}"
changes="${2:-1000}"
factors="${3:-1 5}"
seed="${SEED:-42}"
bench_dir="${BENCH_DIR:-/tmp/intake-bench}"
modes="${MODES:-partitions whole}"
kinds="${KINDS:-skewed spread quiet}"
history="${HISTORY:-older}"
[[ "$history" == older || "$history" == longer ]] \
  || { echo "incremental: HISTORY must be older or longer, got '$history'" >&2; exit 2; }

for n in "$rows" "$changes"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "incremental: rows and changes must be numbers, got '$n'" >&2; exit 2; }
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
intake_jar="${INTAKE_JAR:-runners/target/intake.jar}"
bench_jar="runners/bench/target/intake-bench.jar"
testdata_jar=""
for j in testdata/target/intake-testdata-*.jar; do
  case "$j" in *-sources.jar|*-tests.jar|*-javadoc.jar) continue ;; esac
  if [[ -f "$j" ]]; then testdata_jar="$j"; fi
done
if [[ ! -f "$intake_jar" || ! -f "$bench_jar" || -z "$testdata_jar" ]]; then
  echo "incremental: missing $intake_jar, $bench_jar or testdata/target/intake-testdata-*.jar; build them: (cd $root && mvn -B -o -q package -DskipTests)" >&2
  exit 2
fi
mkdir -p "$bench_dir"

summary_of() { ls -t "$1"/runs/sf311/*.json 2>/dev/null | head -n 1; }
field() { # field SUMMARY NAME: a top-level number or string of a run summary
  jq -r --arg k "$2" '.[$k] // "?"' "$1"
}
partitions() { jq -r '.partitions | if type == "array" then length else . end' "$1"; }
seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.1f", e - s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }'; }

# shellcheck source=launcher.sh
source "$root/runners/bench/launcher.sh"
launcher "$intake_jar" "${HEAP:-4g}"
warm_launcher "$intake_jar"

timer=()
if [[ -x /usr/bin/time ]]; then timer=(/usr/bin/time -f "%U %S"); fi
run_intake() { # run_intake LAKE INPUT LOG [options...]: prints the wall seconds (CPU s in LOG.cpu)
  local lake="$1" input="$2" log="$3"; shift 3
  local start end
  start=$(date +%s.%N)
  if ! "${timer[@]}" ${timer:+-o "$log.cpu"} "${launch[@]}" run \
      --dataset=sf311 --inputFile="$input" \
      --lakePath="$lake" --runner=FlinkRunner "--flinkMaster=[local]" "$@" > "$log" 2>&1; then
    echo "incremental: the run failed, see $log" >&2
    tail -n 5 "$log" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  seconds "$start" "$end"
}

declare -A skewed_wall
cpu_of() { # cpu_of LOG: the CPU seconds (user + system) of the run that wrote LOG, or ?
  if [[ -s "$1.cpu" ]]; then awk '{ printf "%.1f", $1 + $2 }' "$1.cpu"; else echo "?"; fi
}
printf '\n%-7s %-6s %-10s %8s %8s %10s %10s %10s %9s %9s %9s\n' lake kind mode "wall s" "cpu s" partitions "rows read" written "÷whole" "÷full" "check"
results=()
# generate DIR FIRST ROWS [options...]: DIR/export.csv, ROWS rows of history from FIRST (once).
generate() {
  local dir="$1" first="$2" n="$3"; shift 3
  mkdir -p "$dir"
  if [[ ! -s "$dir/generator.txt" ]]; then
    echo "incremental: generating $n rows from $first into $dir/export.csv" >&2
    java -Xmx512m -cp "$testdata_jar" dev.intake.testdata.GenerateExport --rows="$n" \
      --seed="$seed" --firstOpened="$first" --output="$dir/export.csv" "$@" > "$dir/generator.txt.tmp"
    mv "$dir/generator.txt.tmp" "$dir/generator.txt"
  fi
}
base_first=$(date -d "2025-07-01 - 17 years" +%F)
base_dir="$bench_dir/sf311-rows${rows}-seed${seed}-from${base_first}"
for k in $factors; do
  lake_rows=$((rows * k))
  first=$(date -d "2025-07-01 - $((17 * k)) years" +%F)
  if [[ "$history" == longer || $k == 1 ]]; then
    data_dir="$bench_dir/sf311-rows${lake_rows}-seed${seed}-from${first}"
    generate "$data_dir" "$first" "$lake_rows"
    export_file="$data_dir/export.csv"
    changes_dir="$data_dir"
    changes_first="$first"
  else
    # The first lake's export, and older history numbered past its cases, read together.
    generate "$base_dir" "$base_first" "$rows"
    data_dir="$bench_dir/sf311-rows${rows}-seed${seed}-from${base_first}-older$((lake_rows - rows))-from${first}"
    generate "$data_dir/older" "$first" "$((lake_rows - rows))" --lastOpened="$base_first" \
      --firstCase="$rows"
    mkdir -p "$data_dir/input"
    ln -f "$base_dir/export.csv" "$data_dir/input/export.csv" 2>/dev/null \
      || cp "$base_dir/export.csv" "$data_dir/input/export.csv"
    ln -f "$data_dir/older/export.csv" "$data_dir/input/older.csv" 2>/dev/null \
      || cp "$data_dir/older/export.csv" "$data_dir/input/older.csv"
    export_file="$data_dir/input/*.csv"
    changes_dir="$base_dir"
    changes_first="$base_first"
  fi
  # The change files pick among the valid cases of the export they change.
  cases="$(sed -n -E 's/.*expected full load: written=([0-9]+).*/\1/p' "$changes_dir/generator.txt")"
  lake="$data_dir/lake"
  if [[ ! -s "$data_dir/fullload.seconds" ]]; then
    echo "incremental: full load of $lake_rows rows into $lake (the reference)" >&2
    rm -rf "$lake"
    run_intake "$lake" "$export_file" "$data_dir/fullload.log" > "$data_dir/fullload.seconds.tmp"
    mv "$data_dir/fullload.seconds.tmp" "$data_dir/fullload.seconds"
  fi
  full="$(cat "$data_dir/fullload.seconds")"
  stored="$(field "$(summary_of "$lake")" written)"
  echo "incremental: lake of $stored rows (history from $first, HISTORY=$history), full load ${full} s; changes from $changes_dir" >&2
  for kind in $kinds; do
    case "$kind" in
      skewed) n="$changes"; share=0.9 ;;
      spread) n="$changes"; share=0 ;;
      quiet) n=0; share=0 ;;
      *) echo "incremental: unknown kind $kind" >&2; exit 2 ;;
    esac
    input="$changes_dir/changes-$kind-$n.csv"
    if [[ ! -s "$input" ]]; then
      java -Xmx512m -cp "$testdata_jar" dev.intake.testdata.GenerateExport --rows="$n" \
        --seed="$seed" --firstOpened="$changes_first" --changesOf="$cases" --recentShare="$share" \
        --output="$input" > /dev/null
    fi
    declare -A wall=()
    copies=()
    for mode in $modes; do
      copy="$(mktemp -d "$bench_dir/run.XXXXXX")"
      rmdir "$copy"
      cp -a "$lake" "$copy"
      # The default warehouse is the DuckDB file beside the lake: the copy gets its own.
      if [[ -f "$lake.duckdb" ]]; then cp -a "$lake.duckdb" "$copy.duckdb"; fi
      copies+=("$copy")
      opts=()
      if [[ "$mode" == whole ]]; then opts+=(--readWholeLake=true); fi
      if [[ "$kind" == quiet ]]; then opts+=(--allowEmptyInput=true); fi
      w="$(run_intake "$copy" "$input" "$copy.log" "${opts[@]}")"
      wall[$mode]="$w"
      s="$(summary_of "$copy")"
      read_rows=$(( $(field "$s" replacedStored) + $(field "$s" carriedOver) ))
      check=""
      if [[ "$mode" != partitions && -n "${wall[partitions]:-}" ]]; then
        if java -cp "$intake_jar:$bench_jar" dev.intake.bench.CompareLakes --left="${copies[0]}" --right="$copy" > "$copy.compare" 2>&1; then
          check="same rows"
        else
          check="DIFFERENT ($copy.compare)"
        fi
      fi
      printf '%-7s %-6s %-10s %8s %8s %10s %10s %10s %9s %9s %9s\n' "$stored" "$kind" "$mode" "$w" \
        "$(cpu_of "$copy.log")" \
        "$(partitions "$s")" "$read_rows" "$(field "$s" written)" \
        "$(ratio "$w" "${wall[whole]:-${wall[partitions]}}")" "$(ratio "$w" "$full")" "$check"
      if [[ "$check" == DIFFERENT* ]]; then cat "$copy.compare" >&2; fi
    done
    if [[ "$kind" == skewed && -n "${wall[partitions]:-}" ]]; then skewed_wall[$k]="${wall[partitions]}"; fi
    if [[ -n "${wall[whole]:-}" && -n "${wall[partitions]:-}" ]]; then
      echo "        $kind on $stored rows: partitions / whole = $(ratio "${wall[partitions]}" "${wall[whole]}")"
    fi
    for c in "${copies[@]}"; do rm -rf "$c" "$c.duckdb"; done
    unset wall
  done
done
set -- $factors
if [[ $# -ge 2 && -n "${skewed_wall[$1]:-}" ]]; then
  last="${!#}"
  echo "skewed change, lake x$last / lake x$1: $(ratio "${skewed_wall[$last]}" "${skewed_wall[$1]}") (target < 1.2)"
fi
