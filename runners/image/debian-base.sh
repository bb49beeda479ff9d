#!/usr/bin/env bash
# Builds a base image for the container image from Debian packages, without a Docker daemon or a
# container registry: Debian bookworm (minbase) with openjdk-17-jre-headless, as a `docker save`
# tarball that jib takes as its base.
#
#   runners/image/debian-base.sh [output=/tmp/intake-image-base/base.tar]
#   mvn -B -Pimage package -DskipTests -Dintake.image.base=tar:///tmp/intake-image-base/base.tar
#
# Needs root, debootstrap (apt-get install debootstrap) and python3. DEBIAN_MIRROR overrides the
# mirror (default http://deb.debian.org/debian). Takes about 30 s with a warm network; ~350 MB.
set -euo pipefail

out="${1:-/tmp/intake-image-base/base.tar}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
work="$(mktemp -d "${TMPDIR:-/tmp}/intake-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT

command -v debootstrap > /dev/null || { echo "debian-base: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }
[[ "$(id -u)" == 0 ]] || { echo "debian-base: needs root (debootstrap)" >&2; exit 2; }

echo "debian-base: debootstrap bookworm + openjdk-17-jre-headless from $mirror"
debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$work/rootfs" "$mirror" \
  > "$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*

mkdir -p "$(dirname "$out")"
python3 - "$work" "$out" <<'PY'
import hashlib, io, json, os, sys, tarfile

work, out = sys.argv[1], sys.argv[2]
layer = os.path.join(work, "layer.tar")
with tarfile.open(layer, "w") as t:
    t.add(os.path.join(work, "rootfs"), arcname=".")
digest = hashlib.sha256()
with open(layer, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        digest.update(chunk)
layer_id = digest.hexdigest()
config = json.dumps({
    "architecture": "amd64",
    "os": "linux",
    "config": {"Env": [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64"]},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + layer_id]},
}).encode()
config_id = hashlib.sha256(config).hexdigest()
manifest = json.dumps([{
    "Config": config_id + ".json",
    "RepoTags": ["intake-base:bookworm-jre17"],
    "Layers": [layer_id + "/layer.tar"],
}]).encode()
with tarfile.open(out, "w") as t:
    for name, data in ((config_id + ".json", config), ("manifest.json", manifest)):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    t.add(layer, arcname=layer_id + "/layer.tar")
PY
echo "debian-base: $out ($(du -h "$out" | cut -f1)); build the image with"
echo "  mvn -B -Pimage package -DskipTests -Dintake.image.base=tar://$out"
