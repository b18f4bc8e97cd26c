/*
 * proto.h: the frame codec shared by litecon and litecon-agent
 * (docs/protocol.md). A frame is
 *     u32 length | u8 type | u32 request id | payload
 * big-endian, length counting type + id + payload. Values are typed:
 *     u8 type, then nothing (NULL) | i64 (INT) | f64 bits (REAL) |
 *     u32 length + bytes (TEXT, BLOB).
 * The decoder never trusts a length: every read is bounds-checked and a
 * frame longer than PROTO_MAX_FRAME is refused before anything is
 * allocated for it.
 */
#ifndef PROTO_H
#define PROTO_H

#include <stddef.h>
#include <stdint.h>
#include "lc.h"
#include "util.h"

#define PROTO_MAJOR 1
#define PROTO_MINOR 3     /* 1: BACKUP; 2: BACKUP's flags, ZPAGES; 3: KEEP, BACKUP_MKDIR/HOLD */
#define PROTO_HEADER 9                     /* length + type + id */
#define PROTO_MAX_FRAME (256u << 20)       /* a 100 MB blob fits in one ROWS frame */
#define PROTO_BATCH (64u << 10)            /* ROWS frames are flushed at this size */
#define PROTO_PAGES_MAX (1u << 20)         /* a PAGES payload is at most this (ZPAGES: raw_len) */
#define PROTO_ZWINDOW_LOG 23               /* ZPAGES: the zstd window a client accepts (8 MiB) */
/* The agent's first bytes, before any frame: lets the client skip what a
 * noisy shell start-up (a .bashrc that prints) put in front of them. */
#define PROTO_MAGIC "\nlitecon-agent-frames\n"
#define PROTO_MAGIC_MAX (64u << 10)        /* junk skipped before giving up */

enum proto_type {
	/* client -> agent */
	P_HELLO = 1,     /* u16 major, u16 minor, str build */
	P_OPEN = 2,      /* str path, u32 timeout_ms */
	P_QUERY = 3,     /* str sql, u32 timeout_ms */
	P_INSPECT = 4,   /* str orders_table, u32 latest, u32 stale_s, u8 openers */
	P_CANCEL = 5,    /* (id = the request to cancel) */
	P_BYE = 6,
	P_KEEP = 8,      /* [1.3:] u8 commit, str path, str content: rename the held backups
	                    (BACKUP_HOLD) into place and write content to path ("" none),
	                    or with commit 0 give them up; END or ERROR */
	P_BACKUP = 7,    /* str schema, u32 known_page_size, str known_hashes, f64 max_rate,
	                    str host_dest ("" = send the pages), u8 full,
	                    [1.2:] u8 flags (BACKUP_ZSTD: pages as ZPAGES) */
	/* agent -> client */
	P_COLUMNS = 16,  /* u16 n, n x str */
	P_ROWS = 17,     /* u32 nrows, nrows x ncol values */
	P_DONE = 18,     /* u64 rows: one statement finished */
	P_ERROR = 19,    /* u8 exit code, str message: the request failed */
	P_END = 20,      /* the request finished; INSPECT: f64 taken_at */
	P_DBS = 21,      /* u16 n, n x (str schema, str path) */
	P_SECTION = 22,  /* str name, str absent, str note, u8 has_absent, u16 ncol, ncol x str */
	P_LOG = 23,      /* str message for the operator */
	P_STATUS = 24,   /* u8 code, str text: the agent's last frame before it exits */
	P_BINFO = 25,    /* u32 page_size, u32 pages: a backup starts */
	P_PAGES = 26,    /* u32 n, n x (u32 pgno, page_size bytes) */
	P_PROGRESS = 27, /* u32 done, u32 total */
	P_BDONE = 28,    /* u32 page_size, u32 pages, u32 sent, 32 bytes digest, f64 taken_at,
	                    u64 pinned_ms, str sha256 of the file kept on the host ("" for a pull) */
	P_ZPAGES = 29,   /* u32 raw_len, zstd bytes: the next piece of one zstd stream per backup
	                    (the agent sends one whole zstd frame per piece), decompressing to
	                    exactly raw_len bytes of a PAGES payload */
};

#define BACKUP_ZSTD 1  /* BACKUP flags: compress the pages (zstd level 1) */
#define BACKUP_MKDIR 2 /* [1.3] host_dest's directory is made (0700) if missing */
#define BACKUP_HOLD 4  /* [1.3] host_dest verified but not renamed: KEEP does that */

/* A decoded frame; p points into the caller's buffer. */
typedef struct frame {
	uint8_t type;
	uint32_t id;
	const uint8_t *p;
	size_t n;
} frame;

/* Find one frame at the start of buf[0..n). Returns 1 and fills f and *used
 * when a whole frame is there, 0 when more bytes are needed (*need gets the
 * total size when known), -1 with e when the bytes cannot be a frame. */
int proto_frame(const uint8_t *in, size_t n, frame *f, size_t *used, size_t *need, lc_err *e);

/* Encoding: start a frame in b (returns its offset), append fields, end it
 * (patches the length). */
size_t proto_begin(buf *b, int type, uint32_t id);
void proto_end(buf *b, size_t at);
void proto_u8(buf *b, unsigned v);
void proto_u16(buf *b, unsigned v);
void proto_u32(buf *b, uint32_t v);
void proto_u64(buf *b, uint64_t v);
void proto_f64(buf *b, double v);
void proto_str(buf *b, const char *s, size_t n);
void proto_cstr(buf *b, const char *s);  /* NULL as "" */
void proto_value(buf *b, const lc_value *v);

/* Decoding cursor: reads past the end set bad and return zeros. */
typedef struct rd {
	const uint8_t *p;
	size_t n;
	int bad;
} rd;

static inline rd rd_of(const frame *f) { return (rd){ f->p, f->n, 0 }; }
unsigned rd_u8(rd *r);
unsigned rd_u16(rd *r);
uint32_t rd_u32(rd *r);
uint64_t rd_u64(rd *r);
double rd_f64(rd *r);
/* A string: *s points into the frame (not NUL-terminated). */
void rd_str(rd *r, const char **s, size_t *n);
/* A NUL-terminated copy (caller frees), or NULL when bad. */
char *rd_strdup(rd *r);
/* One value; TEXT/BLOB point into the frame. Returns -1 on a bad value. */
int rd_value(rd *r, lc_value *v);

/* Name of a frame type for messages ("QUERY"), or "unknown". */
const char *proto_name(int type);

#endif
