#!/bin/sh
# Local stand-ins for the Dockerfile's two base images, for a host that cannot pull them
# (no registry access), so `make image` builds offline from Debian's mirror, PyPI and npm:
#   python:3.11-slim           Debian bookworm (debootstrap, minbase) with its Python 3.11 in
#                              a venv at /usr/local: python and pip in /usr/local/bin and
#                              packages in /usr/local/lib/python3.11/site-packages, as in the
#                              official image (Debian's own pip refuses to install system-wide),
#                              with ca-certificates, netbase and tzdata as it has them, and
#                              the extra certificates this host trusts (those in
#                              /usr/local/share/ca-certificates, e.g. an egress proxy's), so
#                              pip reaches PyPI from here as the host does
#   denoland/deno:bin-VERSION  the single /deno binary from npm's @deno/linux-x64-glibc
# Run as root on a Debian or Ubuntu host with debootstrap and npm:  deploy/standins.sh
# ENGINE=docker|podman chooses the engine (default: docker if it reaches a daemon, else
# podman); DEBIAN_MIRROR another mirror. Stand-ins replace any image of the same names.
set -eu
cd "$(dirname "$0")/.."

ENGINE=${ENGINE:-$(docker info >/dev/null 2>&1 && echo docker || echo podman)}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DENO_VERSION=$(sed -n 's/^ARG DENO_VERSION=//p' Dockerfile)
PYTHON_IMAGE=docker.io/library/python:3.11-slim
DENO_IMAGE=docker.io/denoland/deno:bin-$DENO_VERSION

for tool in "$ENGINE" debootstrap npm; do
  command -v "$tool" >/dev/null || { echo "standins: $tool is missing; install it first." >&2; exit 1; }
done
[ -n "$DENO_VERSION" ] || { echo "standins: no ARG DENO_VERSION=... in the Dockerfile." >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

echo "standins: $PYTHON_IMAGE from debootstrap bookworm ($MIRROR)"
rootfs=$work/rootfs
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates,netbase,tzdata \
  bookworm "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
  chroot "$rootfs" update-ca-certificates >/dev/null
fi
chroot "$rootfs" python3 -m venv /usr/local
chroot "$rootfs" /usr/local/bin/python -c 'import sys; assert sys.version_info[:2] == (3, 11)'
# apt sources as the official image has them (updates and security included)
rm -f "$rootfs/etc/apt/sources.list"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
tar -C "$rootfs" --numeric-owner -c . | "$ENGINE" import \
  --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["python3"]' \
  - "$PYTHON_IMAGE" >/dev/null

echo "standins: $DENO_IMAGE from npm's @deno/linux-x64-glibc@$DENO_VERSION"
(cd "$work" && npm pack --silent "@deno/linux-x64-glibc@$DENO_VERSION" >/dev/null)
tar -C "$work" -xzf "$work"/deno-linux-x64-glibc-*.tgz package/deno
chmod 0755 "$work/package/deno"
# Like the official bin image: nothing but /deno (it is only ever copied from).
tar -C "$work/package" --numeric-owner -c deno | "$ENGINE" import - "$DENO_IMAGE" >/dev/null

"$ENGINE" image ls --filter reference="$PYTHON_IMAGE" --filter reference="$DENO_IMAGE"
