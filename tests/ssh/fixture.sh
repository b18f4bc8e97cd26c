# tests/ssh/fixture.sh: a throwaway OpenSSH server on 127.0.0.1 for the SSH
# tests, with generated keys, known_hosts variants, an ssh_config and a fault
# relay. Sourced by SSH test scripts after tests/lib.sh (needs $T). Works as
# root (CI) and as an ordinary user; see docs in reference/ssh.md section 5.
#
# Functions
#   sshd_start          generate keys (once per $T) and start sshd at a free port
#   sshd_stop           stop sshd and every per-connection process under it
#   sshd_conn_pids      pids of the per-connection sshd processes (listener's children)
#   ssh_ok              OpenSSH's own client logs in: ssh -F $SSH_CFG store true
#   remote_cache_clean  rm -rf ~LOGIN_USER/.cache/litecon (forces a helper upload)
#   kh_entry NAME PUB   print one known_hosts line "NAME TYPE BASE64" for a .pub file
#   relay_start [OPTS]  start tests/tools/relay (built into $T) in front of sshd;
#                       sets RELAY_PORT, RELAY_PID, KH_RELAY (known_hosts for its port)
#   relay_stop [PID]    stop one relay, or all of them
# Variables (exported by sshd_start)
#   SSHD_PORT SSHD_PID SSHD_DIR SSH_USER SSHD_LOG SSHD_CONFIG
#   SSH_KEY SSH_KEY_PW SSH_KEY_PASS SSH_KEY_RSA SSH_KEY_WRONG      (private key paths; .pub next to them)
#   SSHD_HOSTKEY_ED25519 SSHD_HOSTKEY_ECDSA SSHD_HOSTKEY_RSA         (host key paths; .pub next to them)
#   KH_PLAIN KH_HASHED KH_PLAIN_HOST KH_CHANGED KH_EMPTY KH_GARBAGE  (known_hosts files)
#   SSH_CFG             ssh_config with Host store, jumpbox, viajump
# Knobs (set before sshd_start)
#   SSHD_HOST_KEYS      host key types loaded, in order (default "ed25519 ecdsa"; "rsa" = an RSA-only host)
#   SSHD_EXTRA          extra sshd_config lines, put first (sshd keeps the first value it reads)
#
# The fixture adds "relay_stop; sshd_stop" in front of the EXIT trap already set
# (tests/lib.sh's rm -rf "$T"); a script that sets its own EXIT trap later must
# call sshd_stop itself.
#
# sshd_start may be called again after sshd_stop (same keys, a new port; the
# known_hosts files and $SSH_CFG are rewritten for the new port).

# No ssh-agent: its keys would be offered before the test's identities (a
# test that wants an agent starts its own and sets SSH_AUTH_SOCK itself).
unset SSH_AUTH_SOCK SSH_AGENT_PID

SSHD_BIN=${SSHD_BIN:-/usr/sbin/sshd}
SSH_KEY_PASS="open sesame"
SSHD_HOST_KEYS=${SSHD_HOST_KEYS:-"ed25519 ecdsa"}
SSHD_EXTRA=${SSHD_EXTRA:-}
SSHD_PID=
_FX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
_FX_RELAYS=()
export SSH_KEY_PASS

# _fx_say LINES...: detail lines for the TAP output
_fx_say() { local l; for l in "$@"; do printf '# %s\n' "$l"; done; }

# _fx_keygen TYPE FILE [PASSPHRASE]: a key pair, unless FILE exists
_fx_keygen() {
	[ -s "$2" ] && [ -s "$2.pub" ] && return 0
	local bits=()
	case $1 in rsa) bits=(-b 3072) ;; ecdsa) bits=(-b 256) ;; esac
	rm -f "$2" "$2.pub"
	ssh-keygen -q -t "$1" "${bits[@]}" -N "${3:-}" -C "litecon-test-$1" -f "$2" </dev/null >/dev/null ||
		{ _fx_say "ssh-keygen -t $1 -f $2 failed"; return 1; }
}

# kh_entry NAME PUBFILE: "NAME TYPE BASE64", the key from a .pub file (not the network)
kh_entry() {
	local type key rest
	read -r type key rest <"$2" || return 1
	printf '%s %s %s\n' "$1" "$type" "$key"
}

# _fx_port_free PORT: nothing listens on 127.0.0.1:PORT
_fx_port_free() {
	if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 1; fi
	if command -v ss >/dev/null 2>&1 && [ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]; then return 1; fi
	return 0
}

# _fx_free_port: a random free port in 20000..31999 (below Linux's ephemeral range)
_fx_free_port() {
	local i p
	for i in $(seq 1 100); do
		p=$((20000 + RANDOM % 12000))
		if _fx_port_free "$p"; then echo "$p"; return 0; fi
	done
	return 1
}

# _fx_banner PORT: the first line the server sends (empty if none within 2 s)
_fx_banner() {
	( exec 3<>"/dev/tcp/127.0.0.1/$1" && IFS= read -r -t 2 l <&3 && printf '%s' "${l%$'\r'}" ) 2>/dev/null
}

# _fx_descendants PID: every process below PID (children, grandchildren, ...)
_fx_descendants() {
	ps -e -o pid=,ppid= 2>/dev/null | awk -v root="$1" '
		{ kids[$2] = kids[$2] " " $1 }
		END {
			q = root
			while (q != "") {
				n = split(q, a, " "); q = ""
				for (i = 1; i <= n; i++) {
					m = split(kids[a[i]], b, " ")
					for (j = 1; j <= m; j++) { print b[j]; q = q " " b[j] }
				}
			}
		}'
}

# _fx_is_our_sshd PID: PID is the listener started from $SSHD_DIR's config
_fx_is_our_sshd() {
	[ -n "$1" ] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$SSHD_DIR/sshd_config"
}

_fx_keys() {
	local d=$SSHD_DIR t
	SSHD_HOSTKEY_ED25519=$d/host_ed25519 SSHD_HOSTKEY_ECDSA=$d/host_ecdsa SSHD_HOSTKEY_RSA=$d/host_rsa
	SSH_KEY=$d/id_ed25519 SSH_KEY_PW=$d/id_ed25519_pw SSH_KEY_RSA=$d/id_rsa SSH_KEY_WRONG=$d/id_wrong
	_fx_keygen ed25519 "$SSHD_HOSTKEY_ED25519" && _fx_keygen ecdsa "$SSHD_HOSTKEY_ECDSA" &&
		_fx_keygen rsa "$SSHD_HOSTKEY_RSA" &&
		_fx_keygen ed25519 "$SSH_KEY" && _fx_keygen ed25519 "$SSH_KEY_PW" "$SSH_KEY_PASS" &&
		_fx_keygen rsa "$SSH_KEY_RSA" && _fx_keygen ed25519 "$SSH_KEY_WRONG" || return 1
	for t in $SSHD_HOST_KEYS; do # "changed" keys: same types, fresh keys
		_fx_keygen "$t" "$d/changed_$t" || return 1
	done
	chmod 600 "$d"/host_* "$d"/id_* "$d"/changed_*
	chmod 644 "$d"/*.pub
	cat "$SSH_KEY.pub" "$SSH_KEY_PW.pub" "$SSH_KEY_RSA.pub" >"$d/authorized_keys"
	export SSHD_HOSTKEY_ED25519 SSHD_HOSTKEY_ECDSA SSHD_HOSTKEY_RSA SSH_KEY SSH_KEY_PW SSH_KEY_RSA SSH_KEY_WRONG
}

_fx_write_config() { # PORT
	local t
	{
		[ -n "$SSHD_EXTRA" ] && printf '%s\n' "$SSHD_EXTRA"
		echo "Port $1"
		echo "ListenAddress 127.0.0.1"
		for t in $SSHD_HOST_KEYS; do echo "HostKey \"$SSHD_DIR/host_$t\""; done
		cat <<-EOF
		AuthorizedKeysFile "$SSHD_DIR/authorized_keys"
		PidFile "$SSHD_DIR/sshd.pid"
		UsePAM $_FX_USE_PAM
		StrictModes no
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		PubkeyAuthentication yes
		PermitRootLogin prohibit-password
		Subsystem sftp internal-sftp
		LogLevel VERBOSE
		EOF
	} >"$SSHD_CONFIG"
}

# kh_for_port PORT FILE: known_hosts for [127.0.0.1]:PORT with the loaded host keys
kh_for_port() {
	local t
	for t in $SSHD_HOST_KEYS; do kh_entry "[127.0.0.1]:$1" "$SSHD_DIR/host_$t.pub"; done >"$2"
}

_fx_known_hosts() {
	local d=$SSHD_DIR hp="[127.0.0.1]:$SSHD_PORT" t first i
	first=${SSHD_HOST_KEYS%% *}
	KH_PLAIN=$d/known_hosts.plain KH_HASHED=$d/known_hosts.hashed KH_PLAIN_HOST=$d/known_hosts.plain_host
	KH_CHANGED=$d/known_hosts.changed KH_EMPTY=$d/known_hosts.empty KH_GARBAGE=$d/known_hosts.garbage
	kh_for_port "$SSHD_PORT" "$KH_PLAIN"
	cp "$KH_PLAIN" "$KH_HASHED"
	ssh-keygen -q -H -f "$KH_HASHED" >/dev/null 2>&1 || { _fx_say "ssh-keygen -H failed"; return 1; }
	rm -f "$KH_HASHED.old"
	for t in $SSHD_HOST_KEYS; do kh_entry 127.0.0.1 "$d/host_$t.pub"; done >"$KH_PLAIN_HOST"
	for t in $SSHD_HOST_KEYS; do kh_entry "$hp" "$d/changed_$t.pub"; done >"$KH_CHANGED"
	: >"$KH_EMPTY"
	{
		echo "# litecon test known_hosts: junk first, the one valid entry last"
		echo "this is not a known_hosts line"
		echo "   "
		printf '\t# an indented comment\n'
		echo "$hp"
		echo "$hp ssh-ed25519"
		echo "$hp ssh-ed25519 AAAA!!not*base64"
		echo "$hp ssh-frobnicate AAAADnNzaC1mcm9ibmljYXRlAAAAIJmZmZmZmZmZ unknown key type"
		kh_entry "@cert-authority $hp" "$d/changed_$first.pub"
		echo "@cert-authority"
		kh_entry "|1|not-base64|also-not" "$d/changed_$first.pub"
		printf '\001\002\377\376 binary junk \x1b[31m\r\n'
		printf 'otherhost.invalid %s\r\n' "$(cut -d' ' -f1,2 "$d/changed_$first.pub")"
		printf '#'; for i in $(seq 1 600); do printf ' comment'; done; echo
		for i in $(seq 1 400); do printf 'h%04d.invalid,' "$i"; done
		kh_entry "longhost.invalid" "$d/changed_$first.pub"
		kh_entry "$hp" "$d/host_$first.pub"
	} >"$KH_GARBAGE"
	export KH_PLAIN KH_HASHED KH_PLAIN_HOST KH_CHANGED KH_EMPTY KH_GARBAGE
}

_fx_ssh_config() {
	SSH_CFG=$SSHD_DIR/ssh_config
	local h
	{
		for h in store jumpbox; do
			cat <<-EOF
			Host $h
			  HostName 127.0.0.1
			  Port $SSHD_PORT
			  User $SSH_USER
			  IdentityFile "$SSH_KEY"
			  IdentitiesOnly yes
			  UserKnownHostsFile "$KH_PLAIN"
			  StrictHostKeyChecking yes
			EOF
		done
		cat <<-EOF
		Host viajump
		  HostName 127.0.0.1
		  Port $SSHD_PORT
		  User $SSH_USER
		  ProxyJump jumpbox
		  IdentityFile "$SSH_KEY"
		  IdentitiesOnly yes
		  UserKnownHostsFile "$KH_PLAIN"
		  StrictHostKeyChecking yes
		Host *
		  GlobalKnownHostsFile /dev/null
		  ConnectTimeout 10
		EOF
	} >"$SSH_CFG"
	export SSH_CFG
}

sshd_start() {
	local t port banner i
	for t in "$SSHD_BIN" ssh ssh-keygen ps; do
		command -v "$t" >/dev/null 2>&1 || {
			_fx_say "sshd_start: '$t' is missing (install openssh-server openssh-client: scripts/deps.sh test)"
			return 1
		}
	done
	if [ -n "$SSHD_PID" ]; then _fx_say "sshd_start: already running (pid $SSHD_PID)"; return 1; fi
	SSHD_DIR=$T/sshd SSH_USER=$(id -un)
	SSHD_CONFIG=$SSHD_DIR/sshd_config SSHD_LOG=$SSHD_DIR/log
	mkdir -p "$SSHD_DIR" && chmod 700 "$SSHD_DIR" || return 1
	_fx_keys || return 1
	_FX_USE_PAM=no
	if [ "$(id -u)" = 0 ]; then # privilege separation: sshd chroots its pre-auth child there
		mkdir -p /run/sshd && chmod 755 /run/sshd
		# Without PAM, a root sshd refuses an account whose shadow password starts
		# with "!" ("User X not allowed because account is locked"), even for keys.
		# (A non-root sshd cannot read /etc/shadow and never sees the lock.)
		case $(getent shadow "$SSH_USER" 2>/dev/null | cut -d: -f2) in
		'!'*) _FX_USE_PAM=yes; _fx_say "sshd_start: $SSH_USER's password is locked (!): using UsePAM yes" ;;
		esac
	fi
	local state=
	for _ in 1 2 3 4 5 6 7 8; do
		port=$(_fx_free_port) || { _fx_say "sshd_start: no free port found"; return 1; }
		_fx_write_config "$port"
		if ! "$SSHD_BIN" -t -f "$SSHD_CONFIG" >"$SSHD_DIR/check.err" 2>&1; then
			_fx_say "sshd_start: $SSHD_BIN -t -f $SSHD_CONFIG failed:"
			sed 's/^/# /' "$SSHD_DIR/check.err"
			return 1
		fi
		rm -f "$SSHD_DIR/sshd.pid"
		: >"$SSHD_LOG"
		if ! "$SSHD_BIN" -f "$SSHD_CONFIG" -E "$SSHD_LOG" </dev/null >"$SSHD_DIR/start.err" 2>&1; then
			_fx_say "sshd_start: $SSHD_BIN -f $SSHD_CONFIG failed:"
			tail -n 20 "$SSHD_LOG" "$SSHD_DIR/start.err" | sed 's/^/# /'
			return 1
		fi
		# sshd daemonizes first and binds after (exit status 0 either way): a
		# port taken since the check shows up as "Cannot bind any address." in
		# the log. The pid file is written once it listens. Wait up to ~5 s.
		state=
		for i in $(seq 1 50); do
			if grep -q 'Cannot bind any address' "$SSHD_LOG"; then state=taken; break; fi
			if [ -s "$SSHD_DIR/sshd.pid" ] && grep -q "Server listening on 127.0.0.1 port $port\." "$SSHD_LOG"; then
				banner=$(_fx_banner "$port")
				if [[ $banner == SSH-2.0-* ]]; then state=up; break; fi
			fi
			sleep 0.1
		done
		[ "$state" = taken ] && continue
		break
	done
	SSHD_PID=$(cat "$SSHD_DIR/sshd.pid" 2>/dev/null)
	if [ "$state" != up ] || ! _fx_is_our_sshd "$SSHD_PID"; then
		_fx_say "sshd_start: sshd is not up on 127.0.0.1:$port (${state:-no banner '${banner:-}'}, pid '${SSHD_PID}')"
		tail -n 20 "$SSHD_LOG" | sed 's/^/# /'
		_fx_is_our_sshd "$SSHD_PID" && kill "$SSHD_PID" 2>/dev/null
		SSHD_PID=
		return 1
	fi
	SSHD_PORT=$port
	export SSHD_PORT SSHD_PID SSHD_DIR SSH_USER SSHD_LOG SSHD_CONFIG
	_fx_known_hosts && _fx_ssh_config
}

# sshd_conn_pids: the per-connection sshd processes (children of the listener)
sshd_conn_pids() {
	[ -n "$SSHD_PID" ] || return 0
	ps -o pid= --ppid "$SSHD_PID" 2>/dev/null | tr -d ' '
}

# sshd_stop: the listener and everything below it (connections, their sessions)
sshd_stop() {
	[ -n "${SSHD_PID:-}" ] || return 0
	local pids p i
	if _fx_is_our_sshd "$SSHD_PID"; then
		pids="$SSHD_PID $(_fx_descendants "$SSHD_PID" | tr '\n' ' ')"
		# shellcheck disable=SC2086
		kill -TERM $pids 2>/dev/null
		for i in $(seq 1 30); do
			local alive=
			for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
			[ -z "$alive" ] && break
			pids=$alive
			sleep 0.1
		done
		# shellcheck disable=SC2086
		[ -n "$alive" ] && kill -KILL $alive 2>/dev/null
	fi
	SSHD_PID=
	return 0
}

ssh_ok() {
	ssh -F "$SSH_CFG" -o BatchMode=yes store true </dev/null
}

# remote_cache_clean: the helper cache of the login user (same machine). sshd
# sets HOME from the passwd entry, so use that rather than our $HOME.
remote_cache_clean() {
	local home
	home=$(getent passwd "${SSH_USER:-$(id -un)}" | cut -d: -f6)
	[ -n "$home" ] || home=$HOME
	rm -rf "$home/.cache/litecon"
}

# relay_start [RELAY OPTIONS]: a relay in front of sshd (see tests/tools/relay.c)
relay_start() {
	local out i
	if [ ! -x "$T/relay" ]; then
		cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror -O2 \
			-o "$T/relay" "$_FX_ROOT/tests/tools/relay.c" || { _fx_say "relay_start: build failed"; return 1; }
	fi
	out=$T/relay.$((${#_FX_RELAYS[@]} + 1))
	"$T/relay" "$@" 0 127.0.0.1 "$SSHD_PORT" >"$out.port" 2>"$out.log" </dev/null &
	RELAY_PID=$!
	_FX_RELAYS+=("$RELAY_PID")
	RELAY_PORT=
	for i in $(seq 1 50); do
		IFS= read -r RELAY_PORT <"$out.port" 2>/dev/null
		[ -n "$RELAY_PORT" ] && break
		kill -0 "$RELAY_PID" 2>/dev/null || break
		sleep 0.1
	done
	if [ -z "$RELAY_PORT" ]; then
		_fx_say "relay_start: no port from the relay" "$(cat "$out.log")"
		return 1
	fi
	KH_RELAY=$out.known_hosts
	kh_for_port "$RELAY_PORT" "$KH_RELAY"
	export RELAY_PORT RELAY_PID KH_RELAY
}

# relay_stop [PID]: stop one relay, or every relay this script started
relay_stop() {
	local p pids=("$@")
	[ $# = 0 ] && pids=("${_FX_RELAYS[@]}")
	for p in "${pids[@]}"; do
		kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	[ $# = 0 ] && _FX_RELAYS=()
	return 0
}

# Run our cleanup before whatever EXIT trap is already set (tests/lib.sh's rm -rf "$T").
_fx_trap_cmd() { eval "set -- $1"; printf '%s' "${3:-}"; } # "trap -- 'CMD' EXIT" -> CMD
_fx_exit_prev=$(trap -p EXIT)
[ -n "$_fx_exit_prev" ] && _fx_exit_prev=$(_fx_trap_cmd "$_fx_exit_prev")
# shellcheck disable=SC2064
trap "relay_stop; sshd_stop; $_fx_exit_prev" EXIT
