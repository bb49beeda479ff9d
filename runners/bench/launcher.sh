# Sourced by the benchmark scripts: runs Intake through ./intake, as a user does, so a measured run
# starts the way a user's run starts (with the launcher's class-data archive, see ./intake).
#
#   launcher JAR HEAP [java options...]   sets the array `launch`: the command that starts JAR's
#                                         Intake (append the arguments: "${launch[@]}" run …)
#   warm_launcher JAR                     writes JAR's archive first, untimed

launcher() {
  local jar="$1" heap="$2"; shift 2
  local opts=("-Xmx$heap" "$@")
  launch=(env INTAKE_JAR="$jar" INTAKE_JAVA_OPTS="${opts[*]}" "$root/intake")
}

# The first run of a build writes the archive as it exits, which would time that run with a few
# seconds of archive writing: a small untimed run on the repository's sample does it first.
warm_launcher() {
  local jar="$1" dir base
  dir="$(dirname "$jar")"; base="$(basename "${jar%.jar}")"
  if [[ "${INTAKE_CDS:-on}" == off ]] \
      || [[ -n "$(find "$dir" -maxdepth 1 -name "$base-cds-*.jsa" -newer "$jar" 2>/dev/null)" ]]; then
    return 0
  fi
  local lake
  lake="$(mktemp -d)"
  echo "bench: a first, untimed run of $jar writes its class-data archive" >&2
  launcher "$jar" 1g
  if ! "${launch[@]}" run --dataset=sf311 \
      --inputFile="$root/testdata/sf311/export_2021-05_first1000.csv" --lakePath="$lake" \
      > "$lake.log" 2>&1; then
    echo "bench: the warm-up run failed, see $lake.log" >&2
    tail -n 5 "$lake.log" >&2
    exit 1
  fi
  rm -rf "$lake" "$lake.log"
}
