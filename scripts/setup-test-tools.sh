#!/usr/bin/env bash
# Installs the servers and tools the test suite runs against, once, into $OWH_TOOLS (inside the
# shared target directory, so CI keeps them between runs), from crates.io:
# - s3s-fs, an S3-compatible server over a directory (0.14.1, the newest that builds with
#   Rust 1.95);
# - zombie-cli 0.7.1, zombienet-sdk's CLI, which spawns the network suite's multi-validator
#   networks from zombienet/*.toml with its native provider. It depends on subxt 0.44, so it is
#   built apart from the workspace;
# - from PyPI, model-signing 1.1.1 (OpenSSF's `model_signing` CLI, which checks the bundles
#   `owh export --format model-signing` writes) in a venv, wheels only. It imports pyOpenSSL
#   without declaring it, so that is installed beside it.
set -euo pipefail
source "$(dirname "$0")/env.sh"
if [ ! -x "$S3S_FS_BIN" ]; then
	echo "setup: installing s3s-fs (S3-compatible test server) into $OWH_TOOLS"
	cargo install --locked s3s-fs --version 0.14.1 --features binary \
		--root "$OWH_TOOLS" --target-dir "$CARGO_TARGET_DIR/owh-tools-build"
fi
if [ ! -x "$ZOMBIE_CLI_BIN" ]; then
	echo "setup: installing zombie-cli (zombienet) into $OWH_TOOLS"
	cargo install --locked zombie-cli --version 0.7.1 \
		--root "$OWH_TOOLS" --target-dir "$CARGO_TARGET_DIR/owh-tools-build"
fi
if ! "$MODEL_SIGNING_BIN" --help >/dev/null 2>&1; then
	echo "setup: installing model-signing 1.1.1 (PyPI) into $OWH_TOOLS/model-signing-venv"
	rm -rf "$OWH_TOOLS/model-signing-venv"
	python3 -m venv "$OWH_TOOLS/model-signing-venv"
	"$OWH_TOOLS/model-signing-venv/bin/pip" install -q --disable-pip-version-check \
		--only-binary=:all: model-signing==1.1.1 pyopenssl==26.4.0
fi
