/*
 * sha256.h: SHA-256 (FIPS 180-4), small and dependency-free, so the static
 * helper can hash itself and backups without a crypto library.
 */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>
#include <stdint.h>

#ifdef LC_OPENSSL
/* The client links libcrypto anyway (libssh2): its SHA-256 uses the CPU's
 * SHA instructions. The static helper keeps the portable code below. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
typedef SHA256_CTX sha256;
#else
typedef struct sha256 {
	uint32_t h[8];
	uint64_t len;         /* bytes hashed so far */
	uint8_t blk[64];
	size_t used;          /* bytes in blk */
} sha256;
#endif

void sha256_init(sha256 *s);
void sha256_add(sha256 *s, const void *p, size_t n);
void sha256_done(sha256 *s, uint8_t out[32]);
/* Lower-case hex of a digest into out (65 bytes). */
void sha256_hex(const uint8_t d[32], char out[65]);
/* Hash a whole file into hex; -1 if it cannot be read. */
int sha256_file(const char *path, char out[65]);

#endif
