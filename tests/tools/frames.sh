# tests/tools/frames.sh: build litecon-agent frames (docs/protocol.md) with
# printf, for fake helpers. POSIX sh: sourced by t_hostile.sh (bash) and by
# fake_agent.sh (sh). A frame: u32 length | u8 type | u32 id | payload.
be() { # BYTES VALUE: VALUE big-endian in BYTES bytes
	_be_i=$(($1 - 1)) _be_out=""
	while [ "$_be_i" -ge 0 ]; do
		_be_out="$_be_out$(printf '\\%03o' $((($2 >> (8 * _be_i)) & 255)))"
		_be_i=$((_be_i - 1))
	done
	printf "$_be_out"
}
pstr() { be 4 "$(printf '%s' "$1" | LC_ALL=C wc -c)"; printf '%s' "$1"; }  # a str field
frame() { # TYPE ID: the payload on stdin
	_fr_p=$(mktemp "${TMPDIR:-/tmp}/litecon-frame.XXXXXX"); cat >"$_fr_p"
	be 4 $(($(wc -c <"$_fr_p") + 5)); be 1 "$1"; be 4 "$2"; cat "$_fr_p"; rm -f "$_fr_p"
}
