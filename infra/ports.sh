# ports.sh: what the scripts that start a local server for the tests
# (infra/dynamodb-local/run.sh, infra/moto/run.sh) share. Source it; it
# expects a die function (message → exit).

# port_in_use reports whether something accepts connections on the port.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port prints a port in the dynamic range that nothing listens on.
free_port() {
	local p
	for _ in $(seq 1 100); do
		p=$((49152 + RANDOM % 16000))
		port_in_use "$p" || { echo "$p"; return 0; }
	done
	die "found no free port"
}

# answers PORT [PATH] reports whether a server answers HTTP on the port:
# any HTTP status shows it is serving (DynamoDB Local refuses the unsigned
# request, and that is enough).
answers() {
	local reply
	reply="$( (exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "${2:-/}" >&3
		head -c 12 <&3) 2>/dev/null)" || return 1
	[[ "$reply" == HTTP/1.* ]]
}

# stop_pid PID ends a server: TERM, five seconds' grace, then KILL.
stop_pid() {
	local pid="$1"
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
}
