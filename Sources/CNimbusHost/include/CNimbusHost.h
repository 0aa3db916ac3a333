// Host facts for the monitoring: statfs and adjtimex, which Swift's Glibc module does not export.
#ifndef CNIMBUS_HOST_H
#define CNIMBUS_HOST_H

#include <stdint.h>

/// Free (available to unprivileged users) and total bytes of the filesystem holding `path`. 0 or -errno.
int nm_disk_space(const char *path, uint64_t *free_bytes, uint64_t *total_bytes);

/// The kernel's clock state, read with adjtimex and no modes (a read: setting needs CAP_SYS_TIME).
/// `*synchronized` is 0 when the kernel reports TIME_ERROR. `*error_us` is the estimated error in microseconds.
/// 0 or -errno.
int nm_clock_state(int *synchronized, int64_t *error_us);

#endif
