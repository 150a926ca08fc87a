#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already there.
set -euo pipefail
source "$(dirname "$0")/env.sh"

need_apt=()
command -v clang >/dev/null || need_apt+=(clang)
[ -e /usr/lib/llvm-14/lib/libclang.so ] || ls /usr/lib/llvm-*/lib/libclang.so >/dev/null 2>&1 || need_apt+=(libclang-dev)
command -v protoc >/dev/null || need_apt+=(protobuf-compiler)
command -v node >/dev/null || need_apt+=(nodejs)
command -v npm >/dev/null || need_apt+=(npm)
# arlocal's sqlite3 (tests/arweave) is compiled by node-gyp.
command -v g++ >/dev/null || need_apt+=(g++)
command -v curl >/dev/null || need_apt+=(curl)
command -v jq >/dev/null || need_apt+=(jq)
command -v python3 >/dev/null || need_apt+=(python3)
# The network suite finds, pauses and resumes node processes with pgrep and pkill.
command -v pgrep >/dev/null || need_apt+=(procps)
# The vendored OpenSSL that litep2p pulls in is built with make and a full perl (perl-base lacks
# IPC::Cmd); jemalloc's build needs make too.
command -v make >/dev/null || need_apt+=(make)
perl -MIPC::Cmd -MFindBin -e1 >/dev/null 2>&1 || need_apt+=(perl)
# The benchmark scripts: a Python virtual environment, GNU time and the openssl CLI.
python3 -c 'import ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
[ -x /usr/bin/time ] || need_apt+=(time)
command -v openssl >/dev/null || need_apt+=(openssl)
if [ ${#need_apt[@]} -gt 0 ]; then
	echo "setup: installing ${need_apt[*]}"
	if [ "$(id -u)" -eq 0 ]; then
		SUDO=()
	elif command -v sudo >/dev/null; then
		SUDO=(sudo)
	else
		echo "setup: not root and no sudo; as root, run:" >&2
		echo "  apt-get update && apt-get install -y ${need_apt[*]}" >&2
		echo "then run this command again." >&2
		exit 1
	fi
	"${SUDO[@]}" apt-get update -qq
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# ./scripts/test.sh stops early on a Node.js older than 20.10; the demo does not need it.
"$OWH_ROOT/scripts/check-node.sh" || echo "setup: (only ./scripts/test.sh needs it)" >&2

if ! rustup target list --installed | grep -qx wasm32v1-none; then
	echo "setup: adding the wasm32v1-none target"
	rustup target add wasm32v1-none
fi

# scripts/lint.sh needs both components; minimal rustup profiles have neither.
for component in rustfmt clippy; do
	if ! rustup component list --installed | grep -q "^$component"; then
		echo "setup: adding the $component component"
		rustup component add "$component"
	fi
done

if ! cargo nextest --version >/dev/null 2>&1; then
	echo "setup: installing cargo-nextest"
	cargo install cargo-nextest --locked
fi

if [ ! -d "$OWH_ROOT/tests/polkadotjs/node_modules/@polkadot/api" ]; then
	echo "setup: installing the polkadot.js test dependencies"
	(cd "$OWH_ROOT/tests/polkadotjs" && npm ci --no-audit --no-fund --loglevel=error)
fi

# arlocal (a local Arweave gateway) and Arweave's JavaScript client for tests/e2e/arweave.sh.
# arlocal's sqlite3 is built from source (about 2 minutes) against the installed node's headers.
if [ ! -e "$OWH_ROOT/tests/arweave/node_modules/arlocal/bin/index.js" ]; then
	echo "setup: installing arlocal and the Arweave client for the ar:// tests"
	headers=()
	[ -e /usr/include/node/node.h ] && headers=(--nodedir=/usr)
	(cd "$OWH_ROOT/tests/arweave" && npm ci --no-audit --no-fund --loglevel=error "${headers[@]}")
fi
mkdir -p "$CARGO_TARGET_DIR"
