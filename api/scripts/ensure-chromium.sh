#!/usr/bin/env bash
# Debian's Chromium for the docs page browser test (playwright-core drives it;
# Playwright's own browser downloads are not reachable here). Installs it when
# missing and apt-get can (root); otherwise says what to do and fails.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then exit 0; fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the browser tests" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  exit 0
fi
echo "/usr/bin/chromium is missing: run 'apt-get update && apt-get install -y chromium' as root" >&2
exit 1
