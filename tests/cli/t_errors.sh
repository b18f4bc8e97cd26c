# t_errors.sh: each failure is one clear sentence with its documented exit
# status, and nothing is created: SQL errors, usage errors, bad paths, not a
# database, permission denied, locked past the timeout, time limit, Ctrl-C.
. tests/lib.sh

db=$T/e.db
fixture "$db" "create table t(a); insert into t values (1);"

expect_err "SQL error names the statement, exit 1" 1 'no such table: nosuch, in: select \* from nosuch' "$db" "select * from nosuch"
expect_err "syntax error, exit 1" 1 'syntax error' "$db" "selec 1"
expect_err "one-liners stop at the first error" 1 'no such table' "$db" "select * from nosuch" "select 1"
[ ! -s "$T/out" ] && ok "nothing after the failed one-liner ran" || not_ok "nothing after the failed one-liner ran" "$(cat "$T/out")"
expect_err "unknown option, exit 2" 2 'unknown option: --frobnicate' --frobnicate "$db" "select 1"
grep -q '^usage: litecon' "$T/err" && ok "usage error prints a short usage line" || not_ok "usage line" "$(cat "$T/err")"
expect_err "option without its value, exit 2" 2 'option --timeout needs SECONDS' "$db" "select 1" --timeout
expect_err "bad number, exit 2" 2 'needs a number' --timeout abc "$db" "select 1"
expect_err "no target, exit 2" 2 'no TARGET given' -csv
expect_err "flag given a value, exit 2" 2 'takes no value' --bail=1 "$db" "select 1"

expect_err "missing file, exit 4" 4 'nosuch.db: No such file or directory' "$T/nosuch.db" "select 1"
[ ! -e "$T/nosuch.db" ] && ok "a missing path does not become a database" || not_ok "missing path created"
mkdir "$T/empty-dir"
expect_err "directory without databases, exit 4" 4 'holds no \*.sqlite3 files' "$T/empty-dir" "select 1"
[ -z "$(ls -A "$T/empty-dir")" ] && ok "nothing created in the directory" || not_ok "files created" "$(ls -A "$T/empty-dir")"
echo "hello, I am text" >"$T/text.sqlite3"
expect_err "not a database, exit 4" 4 'is not an SQLite database' "$T/text.sqlite3" "select 1"
: >"$T/zero.db"
expect_err "empty file, exit 4" 4 'is empty, not an SQLite database' "$T/zero.db" "select 1"
expect_err "an unknown host, exit 4" 4 'cannot resolve nosuchhost.invalid' -o ConnectTimeout=2 "nosuchhost.invalid:/srv/db" "select 1"
expect_err "option-like host refused, exit 2" 2 'bad host' -- "-oProxyCommand=evil:/p" "select 1"

cp "$db" "$T/secret.db"
chmod 000 "$T/secret.db"
if [ "$(id -u)" = 0 ]; then
	run_as() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	chmod 755 "$T"
	cp "$LITECON" "$T/litecon-bin" 2>/dev/null
	run_as "$LITECON" "$T/secret.db" "select 1" >"$T/out" 2>"$T/err"; rc=$?
else
	run "$T/secret.db" "select 1"
fi
if [ "$rc" = 4 ] && grep -q 'Permission denied; run litecon as a user who may read it' "$T/err"; then ok "permission denied, exit 4"; else
	not_ok "permission denied, exit 4" "rc=$rc $(cat "$T/err")"; fi

# A time limit stops a runaway statement through the progress handler.
expect_err "time limit, exit 1" 1 'time limit of 0.3 s' --timeout 0.3 "$db" \
	"with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c"

# Locked past the busy timeout: a rollback-journal database held EXCLUSIVE.
ldb=$T/locked.db
fixture "$ldb" "create table t(a); insert into t values(1);"
mkfifo "$T/lf"
sqlite3 "$ldb" <"$T/lf" >/dev/null 2>&1 &
holder=$!
exec 4>"$T/lf"
echo "pragma locking_mode=exclusive; begin exclusive; insert into t values(2);" >&4
sleep 0.5
expect_err "locked beyond the timeout: one sentence, nonzero" 4 'stayed locked longer than the time limit' --timeout 0.5 "$ldb" "select * from t"
exec 4>&-
wait $holder 2>/dev/null

# Ctrl-C cancels the running statement: "cancelled", exit 130.
"$LITECON" "$db" "with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c" >"$T/out" 2>"$T/err" &
pid=$!
sleep 0.5
kill -INT $pid
wait $pid; rc=$?
if [ "$rc" = 130 ] && grep -qx 'litecon: cancelled' "$T/err"; then ok "SIGINT cancels: 'cancelled', exit 130"; else
	not_ok "SIGINT cancels" "rc=$rc $(cat "$T/err")"; fi
printf 'select 1;\n' >"$T/s.sql"
expect_err "unreadable script, exit 2" 2 'cannot read script' -f "$T/nosuch.sql" "$db"
