// libsodium's guarded, locked allocations and wiping, for secrets held by the signer.
#ifndef CNIMBUS_SODIUM_H
#define CNIMBUS_SODIUM_H

#include <stddef.h>

/// sodium_init; 0 on success (also when already initialised), -1 on failure.
int nm_sodium_init(void);
/// sodium_malloc: the region sits between guard pages, is locked (mlock) where the limit allows, and is filled
/// with a canary pattern. NULL on failure.
void *nm_secure_alloc(size_t size);
/// sodium_free: wipes, unlocks and unmaps.
void nm_secure_free(void *pointer);
/// sodium_memzero: a wipe the compiler may not remove.
void nm_secure_zero(void *pointer, size_t size);
/// sodium_memcmp: constant-time comparison; 0 when equal.
int nm_secure_compare(const void *a, const void *b, size_t size);
/// sodium_mprotect_noaccess / _readonly / _readwrite on a region from nm_secure_alloc; 0 or -1.
int nm_secure_protect(void *pointer, int mode);


// ristretto255 (libsodium), for CPace pairing. Points and scalars are 32 bytes.

/// crypto_core_ristretto255_from_hash: the one-way map from 64 uniform bytes to a group element. 0.
int nm_ristretto255_from_hash(unsigned char point[32], const unsigned char hash[64]);
/// crypto_scalarmult_ristretto255: result = scalar * point. -1 when `point` is not a valid encoding or the result
/// is the identity (so both of CPace's aborts come from one call).
int nm_ristretto255_scalarmult(unsigned char result[32], const unsigned char scalar[32], const unsigned char point[32]);
/// crypto_core_ristretto255_is_valid_point: 1 for a canonical encoding of a non-identity element, else 0.
int nm_ristretto255_is_valid_point(const unsigned char point[32]);
/// crypto_core_ristretto255_scalar_random: a uniform scalar in [0, L).
void nm_ristretto255_scalar_random(unsigned char scalar[32]);

#endif
