#!/usr/bin/env bash
# Checks packaging/relais-server.service: `systemd-analyze verify` must pass, and
# `systemd-analyze security` scores its sandboxing (the score is written down in
# docs/operating.md). Installs systemd with apt when it is missing (Debian/Ubuntu, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v systemd-analyze > /dev/null; then
  echo "installing systemd (for systemd-analyze)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd > /dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# verify wants the binaries it names: a stand-in for relais-server at the same path, in a root of its own.
mkdir -p "$work/usr/local/bin" "$work/etc/systemd/system" "$work/usr/lib/systemd"
cp -a /usr/lib/systemd/system "$work/usr/lib/systemd/"   # the system's targets (sysinit.target, ...)
cp packaging/relais-server.service "$work/etc/systemd/system/"
printf '#!/bin/sh\nexit 0\n' > "$work/usr/local/bin/relais-server"
chmod 755 "$work/usr/local/bin/relais-server"
echo "== systemd-analyze verify"
systemd-analyze verify --root="$work" --man=no /etc/systemd/system/relais-server.service
echo "verify: ok"
echo "== systemd-analyze security"
systemd-analyze security --offline=yes --root="$work" relais-server.service | grep -v "^✓"
