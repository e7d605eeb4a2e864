#!/usr/bin/env bash
# Prints RELAIS_POSTGRES_URL with a fresh schema for one run: ?schema=PREFIX_<unix seconds>, or
# &schema=… when the URL already has parameters. Used by bench-relay.sh and fuzz-api.sh (STORE=postgres).
set -euo pipefail
sep='?'; case "$RELAIS_POSTGRES_URL" in *\?*) sep='&';; esac
echo "${RELAIS_POSTGRES_URL}${sep}schema=${1:?a schema prefix}_$(date +%s)"
