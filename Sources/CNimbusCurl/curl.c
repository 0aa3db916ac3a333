#include "CNimbusCurl.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

struct nm_sink {
    nm_fetch_result *result;
    size_t max_bytes;
};

static size_t nm_write(char *data, size_t size, size_t count, void *context) {
    struct nm_sink *sink = context;
    size_t bytes = size * count;
    if (sink->result->length + bytes > sink->max_bytes) {
        sink->result->too_large = 1;
        return 0;  // stops the transfer (CURLE_WRITE_ERROR)
    }
    unsigned char *grown = realloc(sink->result->body, sink->result->length + bytes);
    if (grown == NULL) return 0;
    memcpy(grown + sink->result->length, data, bytes);
    sink->result->body = grown;
    sink->result->length += bytes;
    return bytes;
}

int nm_fetch_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

int nm_fetch(const char *url, int allow_http, const char *ca_file, const char *accept, const char *user_agent,
             size_t max_bytes, long timeout_seconds, nm_fetch_result *result) {
    memset(result, 0, sizeof *result);
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        strncpy(result->error, "libcurl could not start a transfer", sizeof result->error - 1);
        return -1;
    }
    struct nm_sink sink = {result, max_bytes};
    char error[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL;
    char accept_header[256];
    snprintf(accept_header, sizeof accept_header, "Accept: %s", accept);
    headers = curl_slist_append(headers, accept_header);

    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, allow_http ? "https,http" : "https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    if (ca_file != NULL) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, timeout_seconds < 10 ? timeout_seconds : 10L);
    // No signals (the role's threads block them), no compression bombs (no Accept-Encoding), no cookies, no netrc.
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_bytes);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, nm_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);

    CURLcode code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result->status);
    int outcome = 0;
    if (code != CURLE_OK) {
        if (code == CURLE_FILESIZE_EXCEEDED) result->too_large = 1;
        snprintf(result->error, sizeof result->error, "%s", error[0] ? error : curl_easy_strerror(code));
        outcome = -1;
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return outcome;
}

void nm_fetch_free(nm_fetch_result *result) {
    free(result->body);
    result->body = NULL;
    result->length = 0;
}
