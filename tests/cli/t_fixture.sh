# t_fixture.sh: the SSH test fixture itself (tests/ssh/fixture.sh) checked with
# OpenSSH's own client: a throwaway sshd on 127.0.0.1, the known_hosts
# variants, ProxyJump, and the fault relay (tests/tools/relay.c): freeze and
# cut. Times are printed as "# " lines; only `timeout 20` bounds them.
. tests/lib.sh
. tests/ssh/fixture.sh

if sshd_start; then ok "sshd starts"; else not_ok "sshd starts"; exit 0; fi
_fx_say "sshd pid $SSHD_PID on 127.0.0.1:$SSHD_PORT, login $SSH_USER, dir $SSHD_DIR"

kh_sum() { cksum "$KH_PLAIN" "$KH_HASHED" "$KH_GARBAGE" "$KH_CHANGED" "$KH_EMPTY" "$KH_PLAIN_HOST" "$SSH_CFG"; }
kh_sum >"$T/sum.before"
now_ms() { local t=${EPOCHREALTIME/./}; echo $((10#$t / 1000)); }
# sshx ARGS...: OpenSSH's client with the fixture's config, never prompting
sshx() { timeout 20 ssh -F "$SSH_CFG" -o BatchMode=yes "$@"; }
# expect_fail NAME PATTERN ARGS...: ssh ARGS fails with 255 and stderr matches PATTERN
expect_fail() {
	local name=$1 pat=$2 rc; shift 2
	sshx "$@" true </dev/null >"$T/o" 2>"$T/e"; rc=$?
	if [ "$rc" = 255 ] && grep -Eq -- "$pat" "$T/e"; then ok "$name"; else
		not_ok "$name" "exit $rc, wanted 255" "stderr: $(head -c 800 "$T/e")" "pattern: $pat"; fi
}

# --- the generated files
for v in SSH_KEY SSH_KEY_PW SSH_KEY_RSA SSH_KEY_WRONG KH_PLAIN KH_HASHED KH_PLAIN_HOST KH_CHANGED KH_GARBAGE SSH_CFG; do
	[ -s "${!v}" ] || missing="${missing:-} $v"
done
[ -f "$KH_EMPTY" ] && [ ! -s "$KH_EMPTY" ] || missing="${missing:-} KH_EMPTY"
if [ -z "${missing:-}" ]; then ok "keys, known_hosts files and ssh_config exist"; else not_ok "files" "missing or empty:$missing"; fi
n=$(wc -l <"$SSHD_DIR/authorized_keys")
grep -qF "$(cut -d' ' -f2 "$SSH_KEY_WRONG.pub")" "$SSHD_DIR/authorized_keys" && n=wrong
[ "$n" = 3 ] && ok "authorized_keys holds the three user keys, not the wrong one" || not_ok "authorized_keys" "$n"
if [ "$(ssh-keygen -y -P "$SSH_KEY_PASS" -f "$SSH_KEY_PW" | cut -d' ' -f2)" = "$(cut -d' ' -f2 "$SSH_KEY_PW.pub")" ] &&
	! ssh-keygen -y -P "" -f "$SSH_KEY_PW" >/dev/null 2>&1; then
	ok "SSH_KEY_PW opens with \$SSH_KEY_PASS only"
else not_ok "SSH_KEY_PW passphrase"; fi
if grep -q '^|1|' "$KH_HASHED" && ! grep -q '127\.0\.0\.1' "$KH_HASHED" && [ "$(wc -l <"$KH_HASHED")" = 2 ]; then
	ok "KH_HASHED is hashed"; else not_ok "KH_HASHED is hashed" "$(cat "$KH_HASHED")"; fi
[ "$(awk 'length($0) > 4096' "$KH_GARBAGE" | wc -l)" -ge 1 ] && ok "KH_GARBAGE has a line over 4096 bytes" ||
	not_ok "KH_GARBAGE long line"
[ "$(ssh-keygen -F "[127.0.0.1]:$SSHD_PORT" -f "$KH_PLAIN" | grep -c '^\[')" = 2 ] &&
	ok "KH_PLAIN has 2 entries for [127.0.0.1]:PORT" || not_ok "KH_PLAIN entries" "$(cat "$KH_PLAIN")"

# --- OpenSSH logs in, and refuses where it should
check "ssh_ok: ssh -F \$SSH_CFG store true" ssh_ok
out=$(sshx store 'echo "$USER:$HOME"' </dev/null 2>&1)
home=$(getent passwd "$SSH_USER" | cut -d: -f6)
[ "$out" = "$SSH_USER:$home" ] && ok "the session runs as \$SSH_USER with its passwd home" ||
	not_ok "session user" "got '$out', wanted '$SSH_USER:$home'"
check "KH_HASHED: OpenSSH logs in" sshx -o UserKnownHostsFile="$KH_HASHED" -o StrictHostKeyChecking=yes store true
check "KH_GARBAGE: OpenSSH logs in" sshx -o UserKnownHostsFile="$KH_GARBAGE" -o StrictHostKeyChecking=yes store true
expect_fail "KH_CHANGED: OpenSSH refuses the changed key" 'REMOTE HOST IDENTIFICATION HAS CHANGED' \
	-o UserKnownHostsFile="$KH_CHANGED" -o StrictHostKeyChecking=yes store
expect_fail "KH_EMPTY: OpenSSH refuses an unknown host under strict checking" 'host key is known for .*strict checking' \
	-o UserKnownHostsFile="$KH_EMPTY" -o StrictHostKeyChecking=yes store
# At a port other than 22, OpenSSH falls back to entries for the plain host
# when "[127.0.0.1]:PORT" has none ("found matching key w/out port").
if sshx -v -o UserKnownHostsFile="$KH_PLAIN_HOST" -o StrictHostKeyChecking=yes store true </dev/null >"$T/o" 2>"$T/e" &&
	grep -q 'found matching key w/out port' "$T/e"; then
	ok "KH_PLAIN_HOST: OpenSSH accepts the plain-host entry for another port"
else not_ok "KH_PLAIN_HOST" "$(grep -v '^debug' "$T/e" | head -c 600)"; fi
nossh() { timeout 20 ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o UserKnownHostsFile="$KH_PLAIN" \
	-o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -p "$SSHD_PORT" -l "$SSH_USER" "$@" 127.0.0.1 true </dev/null; }
check "SSH_KEY_RSA is accepted (by OpenSSH's client)" nossh -i "$SSH_KEY_RSA"
if nossh -i "$SSH_KEY_WRONG" >"$T/o" 2>"$T/e"; then not_ok "SSH_KEY_WRONG is refused" "it logged in"
elif grep -q 'Permission denied (publickey)' "$T/e"; then ok "SSH_KEY_WRONG is refused"
else not_ok "SSH_KEY_WRONG is refused" "$(head -c 600 "$T/e")"; fi
ssh -F "$SSH_CFG" -G viajump 2>/dev/null | grep -qx 'proxyjump jumpbox' && ok "viajump resolves with proxyjump jumpbox" ||
	not_ok "ssh -G viajump" "$(ssh -F "$SSH_CFG" -G viajump 2>&1 | grep -i proxy)"
out=$(sshx viajump 'echo via:$SSH_CONNECTION' </dev/null 2>"$T/e")
[[ $out == via:127.0.0.1\ *\ 127.0.0.1\ $SSHD_PORT ]] && ok "ProxyJump: ssh viajump logs in through jumpbox" ||
	not_ok "ProxyJump viajump" "out: $out" "$(head -c 600 "$T/e")"
cmp -s "$T/sum.before" <(kh_sum) && ok "OpenSSH left the known_hosts files alone" || not_ok "known_hosts untouched"
mkdir -p "$home/.cache/litecon/fixture-test" && remote_cache_clean && [ ! -e "$home/.cache/litecon" ] &&
	ok "remote_cache_clean" || not_ok "remote_cache_clean" "$home/.cache/litecon still there"

# --- through the relay
relay_start --max-seconds 120 || { not_ok "relay starts"; exit 0; }
ok "relay starts (port $RELAY_PORT)"
viarelay() { sshx -o Port="$RELAY_PORT" -o UserKnownHostsFile="$KH_RELAY" "$@"; }
out=$(viarelay store 'echo through' </dev/null 2>"$T/e")
[ "$out" = through ] && ok "ssh through the relay" || not_ok "ssh through the relay" "$(head -c 600 "$T/e")"

head -c 300000 /dev/urandom >"$T/blob"
relay_start --delay-ms 10 --rate 2000 --max-seconds 120 || not_ok "slow relay starts"
t0=$(now_ms)
viarelay store "cat '$T/blob'" </dev/null >"$T/blob.down" 2>"$T/e" &&
	viarelay store "cat > '$T/blob.up'" <"$T/blob" 2>>"$T/e" &&
	cmp -s "$T/blob" "$T/blob.down" && cmp -s "$T/blob" "$T/blob.up" &&
	ok "300 kB each way intact through --delay-ms 10 --rate 2000" || not_ok "slow relay transfer" "$(head -c 600 "$T/e")"
_fx_say "slow relay: $(($(now_ms) - t0)) ms for both transfers"

relay_start --cut-after 100000 --max-seconds 120 || not_ok "cut-after relay starts"
viarelay store 'head -c 1000000 /dev/zero' </dev/null >"$T/cut.out" 2>"$T/e"; rc=$?
n=$(wc -c <"$T/cut.out")
[ "$rc" = 255 ] && [ "$n" -lt 100000 ] && ok "--cut-after 100000 ends the session early" ||
	not_ok "--cut-after" "exit $rc, $n bytes" "$(head -c 600 "$T/e")"
_fx_say "--cut-after 100000: got $n of 1000000 bytes, ssh said: $(tail -1 "$T/e")"

# A long session through a relay: "echo up; exec cat", its stdin a FIFO that
# never ends, so the remote side ends by itself when sshd loses the connection
# (a remote "sleep 30" would outlive it as an orphan).
mkfifo "$T/in"
exec 7<>"$T/in"
relay_start --max-seconds 120 || not_ok "relay starts (faults)"
long_session() { # OUT ERR [ssh options]
	local o=$1 e=$2; shift 2
	: >"$o"
	viarelay "$@" store 'echo up; exec cat' <"$T/in" >"$o" 2>"$e" &
	spid=$!
	for _ in $(seq 1 100); do grep -q up "$o" && return 0; kill -0 $spid 2>/dev/null || break; sleep 0.05; done
	return 1
}
fault() { # NAME SIGNAL [ssh options]
	local name=$1 sig=$2; shift 2
	if ! long_session "$T/f.out" "$T/f.err" "$@"; then not_ok "$name" "the session did not start" "$(head -c 600 "$T/f.err")"; return; fi
	conns="${conns:-} $(sshd_conn_pids | tr '\n' ' ')"
	local t0 t1 rc
	t0=$(now_ms)
	kill -"$sig" "$RELAY_PID"
	wait "$spid"; rc=$?
	t1=$(now_ms)
	if [ "$rc" != 0 ] && [ "$rc" != 124 ]; then ok "$name"; else
		not_ok "$name" "ssh exit $rc (124 = still running after 20 s)" "$(head -c 600 "$T/f.err")"; fi
	_fx_say "$name: ssh ended $((t1 - t0)) ms after SIG$sig, exit $rc: $(tail -1 "$T/f.err")"
}
fault "freeze (SIGUSR1): ssh with ServerAlive 1x2 gives up" USR1 -o ServerAliveInterval=1 -o ServerAliveCountMax=2
kill -HUP "$RELAY_PID"
fault "cut (SIGUSR2): a running ssh session ends" USR2
exec 7>&-
[ -n "$(echo $conns)" ] && ok "sshd_conn_pids lists live connections" || not_ok "sshd_conn_pids" "empty"

# --- stopping
relay_stop
tree="$SSHD_PID $(_fx_descendants "$SSHD_PID" | tr '\n' ' ') $conns"
dir=$SSHD_DIR
sshd_stop
left=
for p in $tree; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
ours=$(ps -e -o pid=,args= | grep -F -- "$dir/sshd_config" | grep -v grep)
if [ -z "$left" ] && [ -z "$ours" ]; then ok "sshd_stop leaves no sshd processes of ours"; else
	not_ok "sshd_stop" "still running:$left" "$ours" "$(ps -o pid,ppid,args -p "$(echo $left | tr " " ,)" 2>/dev/null)"; fi
_fx_banner "$SSHD_PORT" | grep -q SSH- && not_ok "the port is closed after sshd_stop" || ok "the port is closed after sshd_stop"
