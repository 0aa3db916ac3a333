#include "CNimbusHost.h"

#include <errno.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/timex.h>

int nm_disk_space(const char *path, uint64_t *free_bytes, uint64_t *total_bytes) {
    struct statvfs fs;
    if (statvfs(path, &fs) != 0) return -errno;
    uint64_t unit = fs.f_frsize ? fs.f_frsize : fs.f_bsize;
    *free_bytes = (uint64_t)fs.f_bavail * unit;
    *total_bytes = (uint64_t)fs.f_blocks * unit;
    return 0;
}

int nm_clock_state(int *synchronized, int64_t *error_us) {
    struct timex clock;
    memset(&clock, 0, sizeof clock);  // modes = 0: read only
    int state = adjtimex(&clock);
    if (state < 0) return -errno;
    *synchronized = state != TIME_ERROR;
    *error_us = clock.esterror;
    return 0;
}
