#!/usr/bin/env bash
# Installs the system packages Relais builds against, only when missing (Debian/Ubuntu, as root or with sudo).
# --tests adds what the test suite needs beyond the build: a PostgreSQL server (scripts/with-postgres.sh),
# and Chromium to draw the HTML audit report (headless).
set -euo pipefail
packages=(libsodium-dev libsqlite3-dev curl openssl)
[ "${1:-}" = "--tests" ] && packages+=(postgresql python3 chromium)
need=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
command -v swift >/dev/null || { echo "swift is not on PATH (Swift 6.1 or later is required)" >&2; exit 1; }
