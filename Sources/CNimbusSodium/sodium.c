#include "CNimbusSodium.h"

#include <sodium.h>

int nm_sodium_init(void) { return sodium_init() < 0 ? -1 : 0; }
void *nm_secure_alloc(size_t size) { return sodium_malloc(size); }
void nm_secure_free(void *pointer) { sodium_free(pointer); }
void nm_secure_zero(void *pointer, size_t size) { sodium_memzero(pointer, size); }
int nm_secure_compare(const void *a, const void *b, size_t size) { return sodium_memcmp(a, b, size); }

int nm_secure_protect(void *pointer, int mode) {
    switch (mode) {
    case 0: return sodium_mprotect_noaccess(pointer);
    case 1: return sodium_mprotect_readonly(pointer);
    default: return sodium_mprotect_readwrite(pointer);
    }
}

int nm_ristretto255_from_hash(unsigned char point[32], const unsigned char hash[64]) {
    return crypto_core_ristretto255_from_hash(point, hash);
}

int nm_ristretto255_scalarmult(unsigned char result[32], const unsigned char scalar[32], const unsigned char point[32]) {
    return crypto_scalarmult_ristretto255(result, scalar, point) == 0 ? 0 : -1;
}

int nm_ristretto255_is_valid_point(const unsigned char point[32]) {
    return crypto_core_ristretto255_is_valid_point(point);
}

void nm_ristretto255_scalar_random(unsigned char scalar[32]) { crypto_core_ristretto255_scalar_random(scalar); }
