#!/bin/sh
# fake_agent.sh: a hostile or broken litecon-agent for tests, chosen by
# $FAKE_AGENT: garbage, huge, truncated, oldmajor, silent, badrows, exit;
# for backups (protocol 1.2, ZPAGES): zbomb (a piece that inflates past the
# length it claims), zjunk (not zstd), zunasked (ZPAGES nobody asked for);
# binfo2 (a second BINFO with another page size), pgbig (a page past the
# count BINFO gave), nodone (END with no BDONE), noinfo (a pull's BDONE
# with no BINFO).
# Frames: u32 length | u8 type | u32 id | payload (docs/protocol.md).
hello() { printf '\nlitecon-agent-frames\n'; printf '\000\000\000\021\001\000\000\000\000\000'"$1"'\000\000\000\000\000\004fake'; }
. "$(dirname "$0")/frames.sh"
opened() { # HELLO 1.2, then DBS and END for the OPEN (id 1), BINFO for the BACKUP (id 2)
	printf '\nlitecon-agent-frames\n'
	{ be 2 1; be 2 2; pstr fake; } | frame 1 0
	{ be 2 1; pstr main; pstr /x/y; } | frame 21 1
	frame 20 1 </dev/null
	{ be 4 4096; be 4 10; } | frame 25 2
}
case ${FAKE_AGENT:-garbage} in
zbomb)    opened; { be 4 100; head -c 1048576 /dev/zero | zstd -q -c; } | frame 29 2; sleep 2 ;;
zjunk)    opened; { be 4 100; head -c 64 /dev/urandom; } | frame 29 2; sleep 2 ;;
zunasked) opened; { be 4 100; head -c 100 /dev/zero | zstd -q -c; } | frame 29 2; sleep 2 ;;
binfo2)   opened; { be 4 65536; be 4 10; } | frame 25 2; sleep 2 ;;
pgbig)    opened; { be 4 1; be 4 11; head -c 4096 /dev/zero; } | frame 26 2; sleep 2 ;;
nodone)   opened; { be 4 1; be 4 1; head -c 4096 /dev/zero; } | frame 26 2; frame 20 2 </dev/null; sleep 2 ;;
noinfo)   printf '\nlitecon-agent-frames\n'
	{ be 2 1; be 2 2; pstr fake; } | frame 1 0
	{ be 2 1; pstr main; pstr /x/y; } | frame 21 1
	frame 20 1 </dev/null
	{ be 4 4096; be 4 0; be 4 0; head -c 32 /dev/zero; printf '\101\332\275\000\000\000\000\000'; be 8 5; pstr ""; } | frame 28 2
	frame 20 2 </dev/null; sleep 2 ;;
garbage)  head -c 4096 /dev/urandom ;;
noisy)    head -c 70000 /dev/zero | tr '\0' x ;;
junkfirst) printf 'Welcome to the shop server!\n'; exec "${REAL_AGENT:?}" ;;
huge)     printf '\nlitecon-agent-frames\n\177\377\377\377\001\000\000\000\000' ;;
truncated) printf '\nlitecon-agent-frames\n\000\000\000\100\001\000\000\000\000\000\001' ;;
oldmajor) hello '\002'; sleep 1 ;;
silent)   sleep 30 ;;
exit)     echo "fake agent: it broke" >&2; exit 3 ;;
badrows)  # a good HELLO, DBS and END for OPEN, then ROWS without COLUMNS for the query
	hello '\001'
	printf '\000\000\000\027\025\000\000\000\001\000\001\000\000\000\004main\000\000\000\004/x/y'
	printf '\000\000\000\005\024\000\000\000\001'
	printf '\000\000\000\022\021\000\000\000\002\000\000\000\001\001\000\000\000\000\000\000\000\001'
	sleep 2 ;;
esac
