#include "CNimbusZlib.h"

#include <string.h>
#include <zlib.h>

long nm_deflate(const unsigned char *input, size_t length, unsigned char *output, size_t capacity) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (deflateInit(&stream, 6) != Z_OK) return -1;
    stream.next_in = (unsigned char *)input;
    stream.avail_in = (uInt)length;
    stream.next_out = output;
    stream.avail_out = (uInt)capacity;
    int result = deflate(&stream, Z_FINISH);
    long produced = (long)stream.total_out;
    deflateEnd(&stream);
    return result == Z_STREAM_END ? produced : -1;
}

long nm_inflate(const unsigned char *input, size_t length, unsigned char *output, size_t capacity) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit(&stream) != Z_OK) return -1;
    stream.next_in = (unsigned char *)input;
    stream.avail_in = (uInt)length;
    stream.next_out = output;
    stream.avail_out = (uInt)capacity;
    int result = inflate(&stream, Z_FINISH);
    long produced = (long)stream.total_out;
    int consumed_all = stream.avail_in == 0;
    inflateEnd(&stream);
    if (result == Z_STREAM_END && consumed_all) return produced;
    // Out of room with input left: more output than allowed.
    if ((result == Z_BUF_ERROR || result == Z_OK) && stream.avail_out == 0) return -2;
    return -1;
}
