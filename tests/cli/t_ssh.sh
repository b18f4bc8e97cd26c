# t_ssh.sh: remote targets against a real OpenSSH server on 127.0.0.1
# (tests/ssh/fixture.sh): same bytes as local in every mode, helper upload
# then reuse, host keys (plain, hashed, [host]:port, garbage lines, unknown,
# changed), auth (wrong key, RSA, passphrase via SSH_ASKPASS, ssh-agent),
# ProxyJump, named targets, hostile paths, refusals, cancel, lost peers.
. tests/lib.sh
. tests/ssh/fixture.sh

sshd_start || { not_ok "sshd starts"; exit 0; }
ok "sshd started on port $SSHD_PORT"
remote_cache_clean
AGENT=$(dirname "$LITECON")/litecon-agent
[ -x "$AGENT" ] || AGENT=build/litecon-agent
export LITECON_AGENT=$AGENT
d=$T/store
"$LITECON_LOAD" init "$d" --orders 2000 --seed 5 >/dev/null 2>&1 || not_ok "store"
R="ssh://$SSH_USER@127.0.0.1:$SSHD_PORT$d"
S=(-i "$SSH_KEY" -o UserKnownHostsFile="$KH_PLAIN" -o StrictHostKeyChecking=yes)

# First connection uploads the helper, the second reuses it.
run "${S[@]}" "$R" "select count(*) from orders"
[ "$rc" = 0 ] && [ "$(cat "$T/out")" = 2000 ] && ok "a one-liner over ssh" || not_ok "one-liner over ssh" "rc=$rc $(cat "$T/err")"
# this build's helper (other runs on the machine may cache other builds beside it)
cached=$(ls -d ~/.cache/litecon/*-"$(sha256sum "$AGENT" | cut -c1-16)"/litecon-agent 2>/dev/null | head -1)
[ -x "$cached" ] && ok "the first connection uploaded the helper to ~/.cache/litecon/<version>-<hash>/" || not_ok "helper uploaded"
cmp -s "$cached" "$AGENT" && ok "the uploaded helper is byte for byte the local one" || not_ok "uploaded bytes"
# An upload is an SFTP session in this sshd's own log (the cache is shared
# with other runs on the machine, so its files say nothing about this one).
sftp_sessions() { grep -c "subsystem 'sftp'" "$SSHD_LOG"; }
before=$(sftp_sessions)
run "${S[@]}" "$R" "select 1"
[ "$rc" = 0 ] && [ "$(sftp_sessions)" = "$before" ] && ok "the second connection reuses the helper (no upload)" || not_ok "helper reused" "rc=$rc"
run "${S[@]}" --agent upload "$R" "select 1"
[ "$rc" = 0 ] && [ "$(sftp_sessions)" -gt "$before" ] && ok "--agent upload uploads again" || not_ok "--agent upload" "rc=$rc $(cat "$T/err")"
ls "$(dirname "$cached")" | grep -q tmp && not_ok "no temporary upload file is left" || ok "no temporary upload file is left"
run "${S[@]}" --agent "$cached" "$R" "select 2"
[ "$rc" = 0 ] && [ "$(cat "$T/out")" = 2 ] && ok "--agent PATH runs that helper on the host" || not_ok "--agent PATH" "$(cat "$T/err")"

if [ "$(id -u)" = 0 ] && command -v sudo >/dev/null; then
	run "${S[@]}" --sudo "$R" "select 9"
	[ "$rc" = 0 ] && [ "$(cat "$T/out")" = 9 ] && ok "--sudo runs the helper with sudo -n" || not_ok "--sudo" "rc=$rc $(cat "$T/err")"
fi
mkdir -p "$HOME/.litecon-test-$$"; cp "$d/production.sqlite3" "$HOME/.litecon-test-$$/"
run "${S[@]}" "$SSH_USER@127.0.0.1:~/.litecon-test-$$/production.sqlite3" -p "$SSHD_PORT" "select count(*) from orders"
if [ "$(id -u)" = 0 ] && command -v sudo >/dev/null; then
	rc0=$rc; cp "$T/out" "$T/out0"
	run "${S[@]}" --sudo "$SSH_USER@127.0.0.1:~/.litecon-test-$$/production.sqlite3" -p "$SSHD_PORT" "select count(*) from orders"
	[ "$rc" = 0 ] && [ "$(cat "$T/out")" = 2000 ] && ok "with --sudo, ~/ is still the login's home" || not_ok "sudo ~" "rc=$rc $(cat "$T/err")"
	rc=$rc0; cp "$T/out0" "$T/out"
fi
rm -rf "$HOME/.litecon-test-$$"
[ "$rc" = 0 ] && [ "$(cat "$T/out")" = 2000 ] && ok "host:~/path is relative to the login's home" || not_ok "~ path" "rc=$rc $(cat "$T/err")"

run "${S[@]}" --agent /nonexistent/litecon-agent "$R" "select 1"
[ "$rc" = 4 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q 'cannot start the helper /nonexistent/litecon-agent' "$T/err" \
	&& ok "a helper PATH that is not there: one sentence, exit 4 (no hang)" || not_ok "missing helper path" "rc=$rc $(cat "$T/err")"
printf '#!/bin/sh\necho "it broke" >&2\nexit 3\n' >"$T/broken-agent"; chmod +x "$T/broken-agent"
run "${S[@]}" --agent "$T/broken-agent" "$R" "select 1"
[ "$rc" = 4 ] && grep -q 'it broke' "$T/err" && ok "a helper that dies at once: its stderr in the message, exit 4" || not_ok "broken helper" "rc=$rc $(cat "$T/err")"

# Every mode, one-liners and a script: the same bytes as local.
for m in box table markdown csv tsv json jsonl line list; do
	q="select * from orders order by id limit 200"
	"$LITECON" -$m "$d" "$q" .tables "select * from queue.solid_queue_processes" >"$T/local" 2>&1
	"$LITECON" "${S[@]}" -$m "$R" "$q" .tables "select * from queue.solid_queue_processes" >"$T/remote" 2>&1
	cmp -s "$T/local" "$T/remote" && ok "-$m over ssh equals local byte for byte" || not_ok "-$m over ssh" "$(diff "$T/local" "$T/remote" | head -5)"
done
printf '.mode csv\nselect count(*) from orders;\nselect * from nosuch;\n.tables\n' >"$T/s.sql"
"$LITECON" -f "$T/s.sql" "$d" >"$T/local" 2>&1; a=$?
"$LITECON" "${S[@]}" -f "$T/s.sql" "$R" >"$T/remote" 2>&1; b=$?
[ "$a" = "$b" ] && cmp -s "$T/local" "$T/remote" && ok "a script over ssh equals local (output, errors, status)" || not_ok "script over ssh" "$a $b $(diff "$T/local" "$T/remote")"
for w in "delete from orders" "pragma wal_checkpoint" "attach '/tmp/x' as x" "vacuum into '/tmp/y'"; do
	"$LITECON" "$d" "$w" >"$T/local" 2>&1; a=$?
	"$LITECON" "${S[@]}" "$R" "$w" >"$T/remote" 2>&1; b=$?
	[ "$a" = 3 ] && [ "$b" = 3 ] && cmp -s "$T/local" "$T/remote" && ok "remote refusal as local: $w" || not_ok "remote refusal $w" "$b $(cat "$T/remote")"
done
run "${S[@]}" stats --json "$R"
[ "$rc" = 0 ] && grep -q '"queues":\[{"queue":"default"' "$T/out" && ok "stats over ssh" || not_ok "stats over ssh" "$(cat "$T/err")"
run "${S[@]}" check "$R"
[ "$rc" = 1 ] && grep -q 'failed jobs' "$T/out" && ok "check over ssh" || not_ok "check over ssh" "rc=$rc"

# Host keys.
for kh in KH_PLAIN KH_HASHED KH_GARBAGE; do
	run -i "$SSH_KEY" -o UserKnownHostsFile="${!kh}" -o StrictHostKeyChecking=yes "$R" "select 1"
	[ "$rc" = 0 ] && ok "known_hosts $kh matches" || not_ok "known_hosts $kh" "rc=$rc $(cat "$T/err")"
done
run -i "$SSH_KEY" -o UserKnownHostsFile="$KH_PLAIN_HOST" -o StrictHostKeyChecking=yes "$R" "select 1"
[ "$rc" = 0 ] && ok "a plain-host entry matches a [host]:port target (as OpenSSH)" || not_ok "plain host fallback" "$(cat "$T/err")"
cp "$KH_EMPTY" "$T/kh_new"
run -i "$SSH_KEY" -o UserKnownHostsFile="$T/kh_new" -o StrictHostKeyChecking=yes "$R" "select 1"
[ "$rc" = 5 ] && grep -q "No ED25519 host key is known for \[127.0.0.1\]:$SSHD_PORT and you have requested strict checking." "$T/err" \
	&& grep -q 'Host key verification failed.' "$T/err" && [ ! -s "$T/kh_new" ] && ok "unknown host under yes: exit 5, OpenSSH's words, file untouched" \
	|| not_ok "unknown host yes" "rc=$rc $(cat "$T/err")"
run -i "$SSH_KEY" -o UserKnownHostsFile="$T/kh_new" -o StrictHostKeyChecking=accept-new "$R" "select 1"
[ "$rc" = 0 ] && [ "$(wc -l <"$T/kh_new")" = 1 ] && grep -q "Permanently added '\[127.0.0.1\]:$SSHD_PORT' (ED25519)" "$T/err" \
	&& ok "accept-new adds exactly one line" || not_ok "accept-new" "rc=$rc $(cat "$T/err") $(cat "$T/kh_new")"
ssh -o UserKnownHostsFile="$T/kh_new" -o StrictHostKeyChecking=yes -o BatchMode=yes -i "$SSH_KEY" -p "$SSHD_PORT" "$SSH_USER@127.0.0.1" true 2>/dev/null \
	&& ok "OpenSSH accepts the line litecon wrote" || not_ok "OpenSSH reads our line" "$(cat "$T/kh_new")"
run -i "$SSH_KEY" -o UserKnownHostsFile="$T/kh_new" -o StrictHostKeyChecking=yes "$R" "select 1"
[ "$rc" = 0 ] && ok "the added key is accepted next time" || not_ok "added key reused"
run -i "$SSH_KEY" -o UserKnownHostsFile="$T/kh_new" -o StrictHostKeyChecking=accept-new -o HashKnownHosts=yes "$R" "select 1"
cp "$KH_EMPTY" "$T/kh_hash"
run -i "$SSH_KEY" -o UserKnownHostsFile="$T/kh_hash" -o StrictHostKeyChecking=accept-new -o HashKnownHosts=yes "$R" "select 1"
grep -q '^|1|' "$T/kh_hash" && ssh -o UserKnownHostsFile="$T/kh_hash" -o StrictHostKeyChecking=yes -o BatchMode=yes -i "$SSH_KEY" -p "$SSHD_PORT" "$SSH_USER@127.0.0.1" true 2>/dev/null \
	&& ok "HashKnownHosts yes writes a hashed line OpenSSH accepts" || not_ok "hashed line" "$(cat "$T/kh_hash")"
cp "$KH_CHANGED" "$T/kh_changed"
for mode in yes accept-new no ask; do
	run -i "$SSH_KEY" -o UserKnownHostsFile="$T/kh_changed" -o StrictHostKeyChecking=$mode "$R" "select 1"
	if [ "$rc" = 5 ] && grep -q 'WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!' "$T/err" && grep -q "Offending ED25519 key in $T/kh_changed:1" "$T/err" \
		&& cmp -s "$KH_CHANGED" "$T/kh_changed"; then ok "a changed key is refused under $mode: exit 5, file:line, file untouched"
	else not_ok "changed key $mode" "rc=$rc $(cat "$T/err")"; fi
done

{ printf '@revoked '; cat "$KH_PLAIN" | head -1; } >"$T/kh_revoked"; cat "$KH_PLAIN" >>"$T/kh_revoked"
run -i "$SSH_KEY" -o UserKnownHostsFile="$T/kh_revoked" -o StrictHostKeyChecking=no "$R" "select 1"
[ "$rc" = 5 ] && grep -q 'REVOKED HOST KEY' "$T/err" && ok "a @revoked key is refused even under StrictHostKeyChecking=no" || not_ok "revoked" "rc=$rc $(cat "$T/err")"

# Authentication.
run -i "$SSH_KEY_WRONG" -o IdentitiesOnly=yes -o UserKnownHostsFile="$KH_PLAIN" "$R" "select 1"
[ "$rc" = 4 ] && grep -q "cannot log in to 127.0.0.1 as $SSH_USER: tried publickey ($SSH_KEY_WRONG)" "$T/err" && ok "a wrong key: exit 4 naming host, user and methods" || not_ok "wrong key" "rc=$rc $(cat "$T/err")"
run -i "$SSH_KEY_RSA" -o IdentitiesOnly=yes -o UserKnownHostsFile="$KH_PLAIN" "$R" "select 1"
[ "$rc" = 4 ] && grep -q 'RSA keys cannot work here: libssh2 1.10 signs only with ssh-rsa (SHA-1)' "$T/err" && grep -q 'ed25519' "$T/err" \
	&& ok "an RSA key: says why it cannot work and what to do" || not_ok "rsa key" "rc=$rc $(cat "$T/err")"
printf '#!/bin/sh\necho "%s"\n' "$SSH_KEY_PASS" >"$T/askpass"; chmod +x "$T/askpass"
SSH_ASKPASS=$T/askpass SSH_ASKPASS_REQUIRE=force run -i "$SSH_KEY_PW" -o IdentitiesOnly=yes -o UserKnownHostsFile="$KH_PLAIN" "$R" "select 3"
[ "$rc" = 0 ] && [ "$(cat "$T/out")" = 3 ] && ok "a passphrase-protected key through SSH_ASKPASS" || not_ok "askpass" "rc=$rc $(cat "$T/err")"
printf '#!/bin/sh\necho wrong\n' >"$T/askpass2"; chmod +x "$T/askpass2"
SSH_ASKPASS=$T/askpass2 SSH_ASKPASS_REQUIRE=force run -i "$SSH_KEY_PW" -o IdentitiesOnly=yes -o UserKnownHostsFile="$KH_PLAIN" "$R" "select 3"
[ "$rc" = 4 ] && grep -q 'cannot unlock it' "$T/err" && ok "a wrong passphrase: exit 4, says the key could not be unlocked" || not_ok "wrong passphrase" "rc=$rc $(cat "$T/err")"
eval "$(ssh-agent -s)" >/dev/null
ssh-add "$SSH_KEY" 2>/dev/null
HOME=$T/home run -o UserKnownHostsFile="$KH_PLAIN" "$R" "select 4"
[ "$rc" = 0 ] && [ "$(cat "$T/out")" = 4 ] && ok "ssh-agent authentication" || not_ok "ssh-agent" "rc=$rc $(cat "$T/err")"
ssh-agent -k >/dev/null 2>&1; unset SSH_AUTH_SOCK SSH_AGENT_PID

# ssh_config aliases, ProxyJump, named targets.
run -F "$SSH_CFG" "store:$d" "select 5"
[ "$rc" = 0 ] && [ "$(cat "$T/out")" = 5 ] && ok "a Host alias from -F ssh_config (HostName, Port, User, IdentityFile)" || not_ok "alias" "rc=$rc $(cat "$T/err")"
run -F "$SSH_CFG" "viajump:$d" "select 6"
[ "$rc" = 0 ] && [ "$(cat "$T/out")" = 6 ] && ok "ProxyJump through ssh -W" || not_ok "proxyjump" "rc=$rc $(cat "$T/err")"
mkdir -p "$T/xdg/litecon"
printf '[target shop]\nhost = 127.0.0.1\nport = %s\nuser = %s\npath = %s\nidentity = %s\n' "$SSHD_PORT" "$SSH_USER" "$d" "$SSH_KEY" >"$T/xdg/litecon/config"
XDG_CONFIG_HOME=$T/xdg run -o UserKnownHostsFile="$KH_PLAIN" @shop "select 7"
[ "$rc" = 0 ] && [ "$(cat "$T/out")" = 7 ] && ok "@name from the config file" || not_ok "@name" "rc=$rc $(cat "$T/err")"
XDG_CONFIG_HOME=$T/xdg run backup --quiet -o UserKnownHostsFile="$KH_PLAIN" @shop "shop:$T/named-kept"
[ "$rc" = 0 ] && [ -f "$T/named-kept/manifest.json" ] && ok "backup @name name:/path: kept on that target's host" || not_ok "@name host DEST" "rc=$rc $(cat "$T/err")"
XDG_CONFIG_HOME=$T/xdg run backup --quiet -o UserKnownHostsFile="$KH_PLAIN" @shop "elsewhere.example:$T/named-other"
[ "$rc" = 2 ] && grep -q "on the target's own host" "$T/err" && [ ! -e "$T/named-other" ] \
	&& ok "backup @name otherhost:/path: refused, nothing written" || not_ok "@name other host DEST" "rc=$rc $(cat "$T/err")"
printf '[target shop]\nhots = x\n' >"$T/xdg/litecon/config"
XDG_CONFIG_HOME=$T/xdg run @shop "select 7"
[ "$rc" = 2 ] && grep -q "config:2: unknown key \"hots\"" "$T/err" && ok "a bad config key names file:line" || not_ok "config error" "$(cat "$T/err")"

# Hostile remote paths: metacharacters never reach a shell.
evil="$T/we ird'\$(touch $T/pwned)\`touch $T/pwned2\`;touch $T/pwned3"
mkdir -p "$evil"; cp "$d/production.sqlite3" "$evil/"
run "${S[@]}" "ssh://$SSH_USER@127.0.0.1:$SSHD_PORT$evil/production.sqlite3" "select count(*) from orders"
[ "$rc" = 0 ] && [ "$(cat "$T/out")" = 2000 ] && [ ! -e "$T/pwned" ] && [ ! -e "$T/pwned2" ] && [ ! -e "$T/pwned3" ] \
	&& ok "a remote path with quotes, \$(), backticks and ; works and runs nothing" || not_ok "hostile path" "rc=$rc $(cat "$T/err")"
nl=$'\n'
run "${S[@]}" "ssh://$SSH_USER@127.0.0.1:$SSHD_PORT$T/no${nl}pe" "select 1"
[ "$rc" = 2 ] && ok "a newline in a target is refused" || not_ok "newline path" "rc=$rc"
run "${S[@]}" "ssh://$SSH_USER@127.0.0.1:$SSHD_PORT$T/nosuch.db" "select 1"
[ "$rc" = 4 ] && grep -q 'nosuch.db: No such file or directory' "$T/err" && ok "a missing remote file: one sentence, exit 4" || not_ok "missing remote" "rc=$rc $(cat "$T/err")"

# Cancel: Ctrl-C ends a long statement within a second, helper gone.
long="with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c"
"$LITECON" "${S[@]}" "$R" "$long" >"$T/out" 2>"$T/err" &
pid=$!
sleep 2
t0=$(date +%s%N)
kill -INT $pid; wait $pid; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$rc" = 130 ] && grep -qx 'litecon: cancelled' "$T/err" && ok "Ctrl-C over ssh: cancelled, exit 130 (${ms} ms)" || not_ok "cancel over ssh" "rc=$rc $(cat "$T/err")"
sleep 0.5
# only helpers under this test's sshd count (other runs may share the cache)
ours=$(for p in $(_fx_descendants "$SSHD_PID"); do ps -o args= -p "$p" 2>/dev/null; done | grep -F "$cached")
[ -n "$ours" ] && not_ok "the helper is gone after the cancel" "$ours" || ok "the helper is gone after the cancel"

# Dead and frozen peers: a clear error within the keepalive bounds.
run -i "$SSH_KEY" -o UserKnownHostsFile="$KH_PLAIN" -o ConnectTimeout=2 "ssh://$SSH_USER@127.0.0.1:1$d" "select 1"
[ "$rc" = 4 ] && grep -q 'cannot connect to 127.0.0.1 port 1' "$T/err" && ok "nothing listening: exit 4" || not_ok "refused port" "rc=$rc $(cat "$T/err")"
relay_start
"$LITECON" -i "$SSH_KEY" -o UserKnownHostsFile="$KH_RELAY" -o ServerAliveInterval=1 -o ServerAliveCountMax=2 \
	"ssh://$SSH_USER@127.0.0.1:$RELAY_PORT$d" "$long" >"$T/out" 2>"$T/err" &
pid=$!
# freeze once the query runs (the helper is up), not while it starts
for _ in $(seq 200); do
	for p in $(_fx_descendants "$SSHD_PID"); do ps -o args= -p "$p" 2>/dev/null; done | grep -q litecon-agent && break
	sleep 0.1
done
sleep 1
kill -USR1 "$RELAY_PID"   # freeze: a black hole
timeout 30 tail --pid=$pid -f /dev/null; wait $pid; rc=$?
[ "$rc" = 4 ] && grep -q 'sent nothing for' "$T/err" && ok "a frozen peer: exit 4 within ServerAliveInterval x CountMax" || not_ok "frozen peer" "rc=$rc $(cat "$T/err")"
relay_stop
relay_start
"$LITECON" -i "$SSH_KEY" -o UserKnownHostsFile="$KH_RELAY" "ssh://$SSH_USER@127.0.0.1:$RELAY_PORT$d" "$long" >"$T/out" 2>"$T/err" &
pid=$!
sleep 2
kill -USR2 "$RELAY_PID"   # cut
timeout 30 tail --pid=$pid -f /dev/null; wait $pid; rc=$?
[ "$rc" = 4 ] && [ "$(wc -l <"$T/err")" = 1 ] && ok "a cut connection: one sentence, exit 4" || not_ok "cut" "rc=$rc $(cat "$T/err")"
relay_stop
sshd_stop
