// Process-wide hardening and the identity switch.
#define _GNU_SOURCE
#include "CNimbusSandbox.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

int nm_disable_core_dumps(void) {
    struct rlimit none = {0, 0};
    return setrlimit(RLIMIT_CORE, &none) == 0 ? 0 : -errno;
}

int nm_set_dumpable(int dumpable) {
    return prctl(PR_SET_DUMPABLE, dumpable ? 1 : 0, 0, 0, 0) == 0 ? 0 : -errno;
}

int nm_get_dumpable(void) {
    int result = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
    return result >= 0 ? result : -errno;
}

int nm_set_no_new_privs(void) {
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 ? 0 : -errno;
}

int nm_lookup_user(const char *name, uid_t *uid, gid_t *gid) {
    struct passwd entry;
    struct passwd *found = NULL;
    long suggested = sysconf(_SC_GETPW_R_SIZE_MAX);
    size_t size = suggested > 0 ? (size_t)suggested : 4096;
    // NSS backends may need more room than sysconf suggests; grow until ERANGE stops.
    for (;;) {
        char *buffer = malloc(size);
        if (buffer == NULL) return -ENOMEM;
        int rc = getpwnam_r(name, &entry, buffer, size, &found);
        if (rc == 0 && found != NULL) {
            *uid = entry.pw_uid;
            *gid = entry.pw_gid;
        }
        free(buffer);
        if (rc == ERANGE && size < (1u << 20)) {
            size *= 2;
            continue;
        }
        if (rc != 0) return -rc;
        return found != NULL ? 0 : -ENOENT;
    }
}

int nm_switch_identity(uid_t uid, gid_t gid) {
    // Groups first: once the uid is gone, setgroups and setresgid are no longer permitted.
    if (setgroups(1, &gid) != 0) return -errno;
    if (setresgid(gid, gid, gid) != 0) return -errno;
    if (setresuid(uid, uid, uid) != 0) return -errno;
    return 0;
}

int nm_set_keep_caps(int keep) {
    return prctl(PR_SET_KEEPCAPS, keep ? 1 : 0, 0, 0, 0) == 0 ? 0 : -errno;
}

long nm_raw_syscall(long number, long a0, long a1, long a2, long a3, long a4, long a5) {
    long result = syscall(number, a0, a1, a2, a3, a4, a5);
    return result == -1 ? -errno : result;
}
