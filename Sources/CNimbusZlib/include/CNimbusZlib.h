// zlib's deflate and inflate on whole buffers, for bodies carried through sessions over Waku.
#ifndef CNIMBUS_ZLIB_H
#define CNIMBUS_ZLIB_H

#include <stddef.h>

/// Compresses `input` (zlib format, level 6) into `output`. Returns the compressed size, or -1 when it does not fit
/// in `capacity` (the caller then sends the body uncompressed).
long nm_deflate(const unsigned char *input, size_t length, unsigned char *output, size_t capacity);
/// Decompresses zlib data into `output`. Returns the size, -1 for corrupt data, -2 when the output would exceed
/// `capacity` (a decompression bomb stops there).
long nm_inflate(const unsigned char *input, size_t length, unsigned char *output, size_t capacity);

#endif
