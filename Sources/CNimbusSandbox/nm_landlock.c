// Landlock through raw syscalls (glibc has no wrappers).
#define _GNU_SOURCE
#include "CNimbusSandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

// The ABI 1 layout; the kernel accepts it from every version, and filesystem rights are all this shim handles.
struct nm_landlock_ruleset_attr {
    uint64_t handled_access_fs;
};

int nm_landlock_abi(void) {
    long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return abi >= 0 ? (int)abi : -errno;
}

int nm_landlock_ruleset_create(uint64_t handled_access_fs) {
    struct nm_landlock_ruleset_attr attributes = {.handled_access_fs = handled_access_fs};
    long fd = syscall(__NR_landlock_create_ruleset, &attributes, sizeof attributes, 0);
    return fd >= 0 ? (int)fd : -errno;
}

int nm_landlock_allow_path(int ruleset, const char *path, uint64_t directory_access, uint64_t file_access,
                           uint64_t *granted) {
    *granted = 0;
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return -errno;
    struct stat status;
    if (fstat(fd, &status) != 0) {
        int rc = -errno;
        close(fd);
        return rc;
    }
    uint64_t access = S_ISDIR(status.st_mode) ? directory_access : file_access;
    if (access == 0) {  // the kernel rejects an empty rule (ENOMSG); nothing to grant is not an error here
        close(fd);
        return 0;
    }
    struct landlock_path_beneath_attr rule = {.allowed_access = access, .parent_fd = fd};
    long rc = syscall(__NR_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
    int result = rc == 0 ? 0 : -errno;
    close(fd);
    if (result == 0) *granted = access;
    return result;
}

int nm_landlock_enforce(int ruleset, uint32_t flags) {
    long rc = syscall(__NR_landlock_restrict_self, ruleset, flags);
    return rc == 0 ? 0 : -errno;
}
