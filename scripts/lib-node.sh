# Helpers to run a throw-away `owh-node --dev` on free ports. Source it, then call
# `start_dev_node`; the node and its temporary base path are removed on exit. With OWH_CHAIN set
# to a chain spec file, the dev node starts from that spec instead of the built-in one.

# Prints N distinct free TCP ports, one per line. All N sockets are held open together, so
# the kernel cannot hand the same port out twice (two single calls once gave the node's RPC and
# Prometheus servers one port, and the RPC server fell back to a random one).
free_ports() {
	python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print("\n".join(str(s.getsockname()[1]) for s in socks))
' "$1"
}

free_port() {
	free_ports 1
}

# Waits up to 10 s for something to listen on local port $1.
wait_port() {
	for _ in $(seq 1 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	echo "nothing listens on port $1" >&2
	return 1
}

# A server on local port $1 that accepts every connection and never answers (run it in the
# background): the mirror that hangs.
hung_server() {
	exec python3 -c "
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $1)); s.listen(16)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
"
}

start_dev_node() {
	local ports
	ports="$(free_ports 3)"
	OWH_RPC_PORT="$(sed -n 1p <<<"$ports")"
	OWH_P2P_PORT="$(sed -n 2p <<<"$ports")"
	OWH_PROM_PORT="$(sed -n 3p <<<"$ports")"
	OWH_BASE_PATH="$(mktemp -d -t owh-dev-XXXXXX)"
	OWH_NODE_LOG="$OWH_BASE_PATH/node.log"
	export OWH_RPC_PORT OWH_BASE_PATH OWH_NODE_LOG
	export OWH_WS_URL="ws://127.0.0.1:$OWH_RPC_PORT"
	trap stop_dev_node EXIT
	launch_dev_node
}

# Stops the dev node and starts it again on the same database and ports, as an operator's
# restart would.
restart_dev_node() {
	kill "$OWH_NODE_PID" 2>/dev/null || true
	wait "$OWH_NODE_PID" 2>/dev/null || true
	launch_dev_node
}

# Runs the node with the settings start_dev_node chose and waits for its RPC.
launch_dev_node() {
	"$OWH_NODE_BIN" --dev ${OWH_CHAIN:+--chain "$OWH_CHAIN"} --base-path "$OWH_BASE_PATH" \
		--rpc-port "$OWH_RPC_PORT" --port "$OWH_P2P_PORT" \
		--prometheus-port "$OWH_PROM_PORT" --no-telemetry \
		>>"$OWH_NODE_LOG" 2>&1 &
	OWH_NODE_PID=$!
	for _ in $(seq 1 120); do
		if curl -sf -H 'Content-Type: application/json' \
			-d '{"id":1,"jsonrpc":"2.0","method":"system_health","params":[]}' \
			"http://127.0.0.1:$OWH_RPC_PORT" >/dev/null 2>&1; then
			echo "owh-node --dev is up at $OWH_WS_URL (pid $OWH_NODE_PID, log $OWH_NODE_LOG)"
			return 0
		fi
		if ! kill -0 "$OWH_NODE_PID" 2>/dev/null; then
			echo "owh-node exited early; its log:" >&2
			tail -n 50 "$OWH_NODE_LOG" >&2
			return 1
		fi
		sleep 0.5
	done
	echo "owh-node did not answer RPC within 60 s; its log:" >&2
	tail -n 50 "$OWH_NODE_LOG" >&2
	return 1
}

stop_dev_node() {
	if [ -n "${OWH_NODE_PID:-}" ] && kill -0 "$OWH_NODE_PID" 2>/dev/null; then
		kill "$OWH_NODE_PID" 2>/dev/null || true
		wait "$OWH_NODE_PID" 2>/dev/null || true
	fi
	[ -n "${OWH_BASE_PATH:-}" ] && rm -rf "$OWH_BASE_PATH"
	OWH_NODE_PID=""
}
