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

#endif
