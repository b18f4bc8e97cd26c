# t_stream.sh: rows stream to the output; memory stays flat for any result
# size (checked as peak RSS, never as time).
. tests/lib.sh

cc -O2 -o "$T/maxrss" tests/tools/maxrss.c || { not_ok "build maxrss"; exit 0; }
db=$T/big.db
fixture "$db" "create table t(id integer primary key, s text, r real);
with recursive c(x) as (select 1 union all select x+1 from c where x < 300000)
insert into t select x, printf('row %d %s', x, hex(randomblob(40))), x / 7.0 from c;"
rss() { # mode, limit -> peak KiB of one full export
	"$T/maxrss" "$LITECON" "-$1" "$db" "select * from t" 2>"$T/rss" >/dev/null
	tail -1 "$T/rss" | awk '{print $2}'
}
case "$LITECON" in *san*) limit=200000 ;; *) limit=16384 ;; esac
for m in csv json list; do
	k=$(rss $m)
	if [ -n "$k" ] && [ "$k" -lt "$limit" ]; then ok "-$m export of 300k rows peaks at ${k} KiB (< $limit)"; else
		not_ok "-$m export memory" "peak ${k} KiB, limit $limit"; fi
done
n=$("$LITECON" -csv "$db" "select * from t" | wc -l)
[ "$n" = 300000 ] && ok "all 300000 rows written" || not_ok "row count $n"
"$LITECON" "$db" "select * from t" | head -1 >/dev/null
ok "a closed pipe ends the export quietly"
