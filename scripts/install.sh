#!/usr/bin/env bash
# Puts the built `owh` and `owh-node` on PATH: links them into $OWH_BIN_DIR (default
# ~/.local/bin), so the docs' `owh …` and `owh-node …` commands work. Run ./scripts/build.sh
# first; the links follow later rebuilds.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bin_dir="${OWH_BIN_DIR:-$HOME/.local/bin}"
mkdir -p "$bin_dir"
for binary in owh owh-node; do
	built="$CARGO_TARGET_DIR/$OWH_PROFILE/$binary"
	[ -x "$built" ] || { echo "install: $built is not built; run ./scripts/build.sh first" >&2; exit 1; }
	ln -sfn "$built" "$bin_dir/$binary"
	echo "install: $bin_dir/$binary -> $built"
done
case ":$PATH:" in
*":$bin_dir:"*) ;;
*) echo "install: $bin_dir is not on PATH; add it, e.g. export PATH=\"$bin_dir:\$PATH\"" ;;
esac
