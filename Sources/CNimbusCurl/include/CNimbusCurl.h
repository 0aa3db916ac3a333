// One bounded HTTPS GET through Debian's libcurl (OpenSSL), for the installer's release tracking. libcurl's
// option setter is variadic, which Swift cannot call, so the whole request is set up here.
#ifndef CNIMBUS_CURL_H
#define CNIMBUS_CURL_H

#include <stddef.h>

/// What a fetch produced. `body` is malloc'ed (free it with `nm_fetch_free`), at most `max_bytes` long.
typedef struct nm_fetch_result {
    unsigned char *body;
    size_t length;
    /// The HTTP status of the last response (after redirects), 0 when none arrived.
    long status;
    /// 1 when the body went over `max_bytes` and the transfer was stopped.
    int too_large;
    /// libcurl's words for a failed transfer ("" on success).
    char error[256];
} nm_fetch_result;

/// GETs `url`. Only https:// is followed for redirects (at most 3); `allow_http` admits a plain http:// first URL
/// (loopback tests). `ca_file` replaces the system's trust store when not NULL. Sends `accept` and `user_agent`.
/// Returns 0 when a response arrived (any status), -1 otherwise with `result->error` set.
int nm_fetch(const char *url, int allow_http, const char *ca_file, const char *accept, const char *user_agent,
             size_t max_bytes, long timeout_seconds, nm_fetch_result *result);

void nm_fetch_free(nm_fetch_result *result);

/// Called once, before any thread that could fetch exists (libcurl's global init is not thread-safe).
int nm_fetch_global_init(void);

#endif
