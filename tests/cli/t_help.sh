# t_help.sh: --help, --version, and the man page documents every option.
. tests/lib.sh

expect_rc "--help exits 0" 0 --help
grep -q '^usage: litecon' "$T/out" && ok "--help starts with usage" || not_ok "--help usage"
cp "$T/out" "$T/help"
missing=""
for o in $(grep -oE '^  -{1,2}[a-zA-Z][a-zA-Z-]*' "$T/help"); do
	grep -qF -- "$(echo "$o" | sed 's/-/\\-/g')" docs/litecon.1 || grep -qF -- "$o" docs/litecon.1 || missing="$missing $o"
done
[ -z "$missing" ] && ok "every --help option is in docs/litecon.1" || not_ok "man page misses:$missing"
expect_rc "-h exits 0" 0 -h
run --version
grep -Eq '^litecon [0-9]+\.[0-9]+\.[0-9]+ \(SQLite 3\.' "$T/out" && ok "--version names litecon and SQLite" || not_ok "--version" "$(cat "$T/out")"
run shell x.db
[ "$rc" = 4 ] && grep -q "x.db: No such file" "$T/err" && ok "every command is in this build (shell opens its target)" || not_ok "shell command" "$(cat "$T/err")"
