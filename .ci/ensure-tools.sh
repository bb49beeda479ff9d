#!/usr/bin/env bash
# Makes sure the tools the tests start themselves are installed: the Prometheus Pushgateway (the
# metrics tests start it on 127.0.0.1) and Chromium (the run report tests open pages headless).
# Installs only what is missing; prints nothing when everything is there. Test machines only.
set -euo pipefail

missing=()
[ -x /usr/bin/prometheus-pushgateway ] || missing+=(prometheus-pushgateway)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "ci: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
