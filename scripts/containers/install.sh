#!/usr/bin/env bash
# Installs what the compose smoke needs on our machines, from Debian's
# packages (DESIGN §7): podman, runc (podman's default crun refuses the VM's
# hybrid cgroups), docker-compose 1.29 and debootstrap. Idempotent. Then
# proves podman can run a container here, or fails saying why: CI must never
# pass because no engine could be tried.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

missing=()
for tool in podman runc docker-compose debootstrap; do command -v "$tool" > /dev/null || missing+=("$tool"); done
if ((${#missing[@]} > 0)); then
  if [[ "$(id -u)" != 0 ]]; then echo "containers: missing ${missing[*]}; install them as root (apt-get install podman runc docker-compose debootstrap)" >&2; exit 1; fi
  echo "containers: installing ${missing[*]} from Debian's packages" >&2
  apt-get update -q > /dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc docker-compose debootstrap > /dev/null
fi

export CONTAINERS_CONF="$here/containers.conf"
runtime="$(podman info --format '{{.Host.OCIRuntime.Name}}')" || { echo "containers: podman cannot start here" >&2; exit 1; }
echo "containers: $(podman --version), runtime $runtime, $(docker-compose version --short 2>/dev/null || docker-compose --version)" >&2
