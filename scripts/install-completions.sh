#!/bin/sh
# Installs relais's shell completions (bash, zsh, fish) and its man page under a prefix (issue 16),
# both generated from the binary's own argument definitions:
#
#   scripts/install-completions.sh [--prefix DIR] [--relais BINARY]
#
# DIR defaults to ~/.local; BINARY to .build/release/relais, else .build/debug/relais, else relais
# on the PATH. Writes:
#   DIR/share/bash-completion/completions/relais
#   DIR/share/zsh/site-functions/_relais
#   DIR/share/fish/vendor_completions.d/relais.fish
#   DIR/share/man/man1/relais.1
# Completions are generated in English (LANG=C): enumerated values complete in their typed form.
set -eu

prefix="${HOME}/.local"
relais=""
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="$2"; shift 2 ;;
        --relais) relais="$2"; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "install-completions.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
    esac
done
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "$relais" ]; then
    for candidate in "$here/.build/release/relais" "$here/.build/debug/relais"; do
        if [ -x "$candidate" ]; then relais="$candidate"; break; fi
    done
fi
[ -n "$relais" ] || relais="$(command -v relais || true)"
if [ -z "$relais" ] || [ ! -x "$relais" ]; then
    echo "install-completions.sh: no relais binary: build it (swift build) or give --relais BINARY" >&2
    exit 66
fi

export LANG=C
unset LC_ALL LC_MESSAGES || true
mkdir -p "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions" \
         "$prefix/share/fish/vendor_completions.d" "$prefix/share/man/man1"
"$relais" --generate-completion-script bash > "$prefix/share/bash-completion/completions/relais"
"$relais" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_relais"
"$relais" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/relais.fish"
python3 "$here/scripts/relais-man.py" "$relais" > "$prefix/share/man/man1/relais.1"
echo "Installed under $prefix: bash, zsh and fish completions, and the man page (man relais)."
