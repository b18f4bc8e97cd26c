# t_faults.sh: faults t_ssh.sh and t_backup.sh do not cover, through the
# project's relay between litecon and a real sshd: the helper killed with
# SIGKILL in the middle of a query (a clear error, exit 4); a freeze in the
# middle of a pulled backup (exit 4 within the keepalive bounds, DEST as it
# was, no .partial); sshd stopped and started again behind the relay while
# the dashboard is open (it says "reconnecting", keeps its screen, and
# comes back by itself). Nothing here asserts a duration.
. tests/lib.sh
. tests/ssh/fixture.sh
export TMUX_TMPDIR=$T
TM="tmux -L litecon-faults-$$"
trap '$TM kill-server 2>/dev/null; relay_stop; sshd_stop; rm -rf "$T"' EXIT
LITECON=$(cd "$(dirname "$LITECON")" && pwd)/$(basename "$LITECON")
AGENT=$(dirname "$LITECON")/litecon-agent
[ -x "$AGENT" ] || AGENT=$PWD/build/litecon-agent
export LITECON_AGENT=$AGENT

d=$T/store
"$LITECON_LOAD" init "$d" --orders 3000 --seed 9 --quiet >/dev/null 2>&1 || not_ok "store"
long="with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c"
if ! sshd_start || ! relay_start; then
	not_ok "sshd and the relay start for the fault tests"
	exit 0
fi
S=(-i "$SSH_KEY" -o UserKnownHostsFile="$KH_RELAY" -o ServerAliveInterval=1 -o ServerAliveCountMax=3)
R="ssh://$SSH_USER@127.0.0.1:$RELAY_PORT"

# The helper killed with SIGKILL while it runs a query.
"$LITECON" "${S[@]}" "$R$d" "$long" >"$T/out" 2>"$T/err" &
pid=$!
helper=
for _ in $(seq 100); do
	helper=$(for p in $(_fx_descendants "$SSHD_PID"); do ps -o pid=,args= -p "$p" 2>/dev/null; done | awk '/litecon-agent/ { print $1; exit }')
	[ -n "$helper" ] && break
	sleep 0.1
done
sleep 0.5
[ -n "$helper" ] && kill -KILL "$helper"
timeout 30 tail --pid=$pid -f /dev/null; wait $pid; rc=$?
[ -n "$helper" ] && [ "$rc" = 4 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q '^litecon: .*helper' "$T/err" \
	&& ok "the helper killed with SIGKILL mid-query: one sentence naming the helper, exit 4" \
	|| not_ok "helper killed" "helper=$helper rc=$rc $(cat "$T/err")"

# A freeze in the middle of a pulled backup: exit 4 within the keepalive
# bounds; the earlier good backup at DEST stays; no .partial.
"$LITECON_LOAD" init "$T/other" --orders 300 --seed 2 --quiet >/dev/null 2>&1
"$LITECON" backup --quiet "$T/other/production.sqlite3" "$T/good.db" 2>"$T/err" || not_ok "first backup" "$(cat "$T/err")"
before=$(sha256sum <"$T/good.db")   # another database's backup: every page differs, all of them cross
relay_stop; relay_start --rate 100   # slow enough to freeze it half way
S=(-i "$SSH_KEY" -o UserKnownHostsFile="$KH_RELAY" -o ServerAliveInterval=1 -o ServerAliveCountMax=3)
R="ssh://$SSH_USER@127.0.0.1:$RELAY_PORT"
"$LITECON" "${S[@]}" backup --quiet "$R$d/production.sqlite3" "$T/good.db" >"$T/out" 2>"$T/err" &
pid=$!
sleep 3
kill -USR1 "$RELAY_PID"
timeout 60 tail --pid=$pid -f /dev/null; wait $pid; rc=$?
[ "$rc" = 4 ] && [ "$(sha256sum <"$T/good.db")" = "$before" ] && [ ! -e "$T/good.db.partial" ] \
	&& ok "a frozen connection mid-backup: exit 4, the earlier backup untouched, no .partial" \
	|| not_ok "frozen backup" "rc=$rc $(cat "$T/err") $(ls "$T")"
relay_stop

# A freeze while the helper is uploaded: exit 4, and (under ASan) the
# session is freed.
relay_start --rate 200
"$LITECON" -i "$SSH_KEY" -o UserKnownHostsFile="$KH_RELAY" -o ServerAliveInterval=1 -o ServerAliveCountMax=2 \
	--agent upload "ssh://$SSH_USER@127.0.0.1:$RELAY_PORT$d" "select 1" >"$T/out" 2>"$T/err" &
pid=$!
sleep 3
kill -USR1 "$RELAY_PID"
timeout 60 tail --pid=$pid -f /dev/null; wait $pid; rc=$?
[ "$rc" = 4 ] && [ "$(wc -l <"$T/err")" = 1 ] && ok "a freeze while the helper is uploaded: one sentence, exit 4" \
	|| not_ok "freeze during upload" "rc=$rc $(head -c 600 "$T/err")"
relay_stop

# A freeze while the connection or the helper starts, at three moments:
# each ends with exit 4 and one sentence (under ASan: and frees the
# session; a frozen peer once kept libssh2 from freeing it).
for at in 0.3 0.6 1.0; do
	relay_start
	"$LITECON" -i "$SSH_KEY" -o UserKnownHostsFile="$KH_RELAY" -o ServerAliveInterval=1 -o ServerAliveCountMax=2 \
		"ssh://$SSH_USER@127.0.0.1:$RELAY_PORT$d" "$long" >"$T/out" 2>"$T/err" &
	pid=$!
	sleep "$at"  # the start, or (on a fast machine) the query: either way in flight
	kill -USR1 "$RELAY_PID"
	timeout 60 tail --pid=$pid -f /dev/null; wait $pid; rc=$?
	[ "$rc" = 4 ] && [ "$(wc -l <"$T/err")" = 1 ] && ok "a freeze ${at} s into the start: one sentence, exit 4" \
		|| not_ok "freeze at start ($at s)" "rc=$rc $(head -c 600 "$T/err")"
	relay_stop
done

# sshd stopped and started again while the dashboard is open: the relay
# listens on the same port throughout, so the same known_hosts line holds.
relay_start
port=$RELAY_PORT kh=$KH_RELAY
$TM new -d -x 120 -y 40 "env LANG=C.UTF-8 HOME=$T XDG_STATE_HOME=$T LITECON_AGENT=$AGENT $LITECON -i $SSH_KEY \
	-o UserKnownHostsFile=$kh -o StrictHostKeyChecking=yes ssh://$SSH_USER@127.0.0.1:$port$d 2>$T/tui.err; \
	echo \"[exit \$?]\"; sleep 600"
pane_has() {  # REGEX SECONDS
	for _ in $(seq $(( $2 * 10 ))); do
		$TM capture-pane -p >"$T/pane" 2>/dev/null
		grep -Eq -- "$1" "$T/pane" && return 0
		sleep 0.1
	done
	return 1
}
pane_has "● up  rtt" 60 && ok "the dashboard is up over ssh" || not_ok "dashboard up" "$(cat "$T/pane")" "$(cat "$T/tui.err")"
sshd_stop
pane_has 'connection lost: reconnecting' 60 && grep -q '┌─ Orders' "$T/pane" \
	&& ok "sshd stopped: 'reconnecting', and the screen stays up" || not_ok "sshd stopped" "$(cat "$T/pane")"
relay_stop
sshd_start
"$T/relay" "$port" 127.0.0.1 "$SSHD_PORT" >"$T/relay2.port" 2>"$T/relay2.log" &
relay2=$!
pane_has '● up  rtt' 90 && ok "sshd started again: the dashboard reconnects by itself" || not_ok "reconnect" "$(cat "$T/pane")" "$(cat "$T/relay2.log")"
pane_has '│main +orders +[0-9]+' 30 && ok "and its panes refresh again" || not_ok "refresh after reconnect" "$(cat "$T/pane")"
$TM send-keys q
pane_has '^\[exit 0\]' 30 && ok "q after the reconnect: status 0" || not_ok "q after reconnect" "$(tail -3 "$T/pane")"
kill "$relay2" 2>/dev/null; wait "$relay2" 2>/dev/null
$TM kill-server 2>/dev/null
exit 0
