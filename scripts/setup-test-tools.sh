#!/usr/bin/env bash
# Installs the servers the test suite runs against, once, into $OWH_TOOLS (inside the shared
# target directory, so CI keeps them between runs): s3s-fs, an S3-compatible server over a
# directory, from crates.io. 0.14.1 is the newest release that builds with Rust 1.95.
set -euo pipefail
source "$(dirname "$0")/env.sh"
if [ ! -x "$S3S_FS_BIN" ]; then
	echo "setup: installing s3s-fs (S3-compatible test server) into $OWH_TOOLS"
	cargo install --locked s3s-fs --version 0.14.1 --features binary \
		--root "$OWH_TOOLS" --target-dir "$CARGO_TARGET_DIR/owh-tools-build"
fi
