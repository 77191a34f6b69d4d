#!/usr/bin/env bash
# Builds every image the compose smoke runs on a machine without an image
# registry, with podman (engine.sh's CONTAINERS_CONF):
#
#   medly-local/debian, medly-local/node   the bases (base.sh)
#   medly-local/kafka-standin:4.1.1        Kafka + Apicurio Registry (standins/kafka)
#   medly-local/postgres-standin:15        Debian's PostgreSQL 15 (standins/postgres)
#   medly-ingest/api:local                 Dockerfile.api on the local Node base
#   medly-ingest/projector:local           Dockerfile.projector on the local Node base
#
# podman keeps its layers, so a rerun rebuilds only what changed.
# `--standins`: the bases and stand-ins only (what the testcontainers run needs).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

log() { echo "images: $*" >&2; }
timed() {
  local label="$1" start=$SECONDS
  shift
  "$@"
  log "$label: $((SECONDS - start)) s"
}

mapfile -t bases < <(bash "$here/base.sh")
debian_image="${bases[0]}"
node_image="${bases[1]}"

build() { podman build --quiet --pull=never --format docker "$@" > /dev/null; }

bash "$root/scripts/stack.sh" resolve
context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
cp -r "$here/standins/kafka/." "$context/"
cp -r "$root/.tools/kafka/libs" "$context/libs"
cp -r "$root/.tools/registry" "$context/registry"
cp "$root/scripts/kafka/log4j2.properties" "$context/"
timed "kafka stand-in" build --build-arg DEBIAN_IMAGE="$debian_image" -t localhost/medly-local/kafka-standin:4.1.1 "$context"
timed "postgres stand-in" build --build-arg DEBIAN_IMAGE="$debian_image" -t localhost/medly-local/postgres-standin:15 "$here/standins/postgres"

if [[ "${1:-}" == --standins ]]; then exit 0; fi

# The same Dockerfiles as everywhere, on the local Node base; the pnpm store
# is the Dockerfiles' cache mount, kept by podman between builds.
for service in api projector; do
  timed "$service image" build --build-arg NODE_IMAGE="$node_image" -f "$root/Dockerfile.$service" -t "medly-ingest/$service:local" "$root"
done
# Superseded builds' untagged images, once an hour old: CI runs again and
# again on one machine, and each source change leaves about 1.3 GB behind.
podman image prune --force --filter until=1h > /dev/null
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' --filter 'reference=localhost/medly*/*' >&2
