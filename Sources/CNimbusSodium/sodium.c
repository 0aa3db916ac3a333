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
