// CNimbusSandbox: the raw Linux calls behind NimbusSandbox (seccomp via libseccomp, capabilities via libcap,
// Landlock, identity switching and process hardening). Every function is a thin wrapper: decisions live in Swift.
//
// Conventions: functions return 0 (or a non-negative result) on success and -errno on failure, so Swift never
// has to read the thread-local `errno` after the fact. Every symbol carries the `nm_` prefix.
#ifndef CNIMBUSSANDBOX_H
#define CNIMBUSSANDBOX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: Process hardening

/// Sets RLIMIT_CORE to 0 (soft and hard) so a crash never writes memory (keys, tokens) to disk.
int nm_disable_core_dumps(void);
/// prctl(PR_SET_DUMPABLE): 0 also stops same-uid processes from ptrace-attaching or reading /proc/<pid>/mem.
int nm_set_dumpable(int dumpable);
/// prctl(PR_GET_DUMPABLE): 0 or 1, or -errno.
int nm_get_dumpable(void);
/// prctl(PR_SET_NO_NEW_PRIVS, 1) for the calling thread; execve can no longer grant privileges.
int nm_set_no_new_privs(void);

// MARK: Identity

/// Looks a user up in the password database. Returns 0, -ENOENT when there is no such user, or -errno.
int nm_lookup_user(const char *name, uid_t *uid, gid_t *gid);
/// setgroups({gid}), setresgid(gid, gid, gid), setresuid(uid, uid, uid), in that order (groups need root).
int nm_switch_identity(uid_t uid, gid_t gid);
/// prctl(PR_SET_KEEPCAPS): whether the permitted set survives the switch away from uid 0.
int nm_set_keep_caps(int keep);

// MARK: Capabilities

/// The highest capability number the running kernel knows (probed with PR_CAPBSET_READ), or -errno.
int nm_cap_last_cap(void);
/// libcap's number for a lower-case name such as "cap_chown", or -1 when libcap does not know it.
int nm_cap_from_name(const char *name);
/// 1 when `cap` is in the calling thread's bounding set, 0 when not, -errno on failure.
int nm_cap_bounding_has(int cap);
/// prctl(PR_CAPBSET_DROP, cap); needs CAP_SETPCAP in the effective set.
int nm_cap_bounding_drop(int cap);
/// prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL).
int nm_cap_ambient_clear(void);
/// Reads the calling thread's effective, permitted and inheritable sets as bit masks (bit n = capability n).
int nm_cap_get(uint64_t *effective, uint64_t *permitted, uint64_t *inheritable);
/// Sets permitted, effective and inheritable to exactly `mask` with libcap's cap_set_proc.
int nm_cap_set_exact(uint64_t mask);

// MARK: Seccomp

/// Actions a rule or the default can take. Translated to SCMP_ACT_* inside the shim.
enum {
    NM_SECCOMP_ALLOW = 0,
    NM_SECCOMP_KILL_PROCESS = 1,
    NM_SECCOMP_ERRNO = 2,
    NM_SECCOMP_LOG = 3,
    NM_SECCOMP_TRAP = 4,
};

/// Argument comparisons; masked equality means (arg & mask) == value.
enum {
    NM_SECCOMP_EQUAL = 0,
    NM_SECCOMP_NOT_EQUAL = 1,
    NM_SECCOMP_MASKED_EQUAL = 2,
};

/// Returned by nm_seccomp_syscall_number for a name libseccomp does not know.
#define NM_SECCOMP_UNKNOWN_SYSCALL (-1)

/// One condition on a syscall argument (0-5).
typedef struct nm_seccomp_condition {
    uint32_t argument;
    uint32_t comparison;
    uint64_t mask;
    uint64_t value;
} nm_seccomp_condition;

/// An opaque filter under construction (wraps a libseccomp context).
typedef struct nm_seccomp_filter nm_seccomp_filter;

/// The native syscall number for `name`, a negative pseudo number for a syscall that exists only on other
/// architectures, or NM_SECCOMP_UNKNOWN_SYSCALL.
int nm_seccomp_syscall_number(const char *name);
/// Writes the native name of syscall `number` into `buffer`. Returns 0 or -ENOENT.
int nm_seccomp_syscall_name(int number, char *buffer, size_t size);
/// A new filter with a default action. NULL when libseccomp cannot allocate one.
nm_seccomp_filter *nm_seccomp_filter_create(uint32_t action, uint32_t errno_value);
/// Adds one rule: `action` for syscall `number` when all `count` conditions hold. Returns 0 or -errno.
int nm_seccomp_filter_add(nm_seccomp_filter *filter, uint32_t action, uint32_t errno_value, int number,
                          const nm_seccomp_condition *conditions, uint32_t count);
/// Loads the filter into the kernel. With `synchronize_threads`, every existing thread gets it too
/// (SCMP_FLTATR_CTL_TSYNC). Returns 0 or -errno (-ESRCH when some thread could not be synchronized).
int nm_seccomp_filter_load(nm_seccomp_filter *filter, int synchronize_threads);
/// Writes the filter as libseccomp's readable pseudo-code to `fd` (for humans tuning a policy).
int nm_seccomp_filter_export(nm_seccomp_filter *filter, int fd);
/// Releases the filter. A loaded filter stays in force; this only frees memory.
void nm_seccomp_filter_destroy(nm_seccomp_filter *filter);

/// Prepares debug mode: copies `role` and every syscall name into static storage (the handler cannot allocate)
/// and installs a SIGSYS handler that reports "seccomp: <role> made forbidden syscall <name> (<nr>)" on stderr
/// and makes the trapped syscall return -ENOSYS. Returns 0 or -errno.
int nm_seccomp_debug_install(const char *role);

// MARK: Landlock

/// landlock_restrict_self flag (ABI 8) that applies the ruleset to every thread; absent from older headers.
#define NM_LANDLOCK_RESTRICT_SELF_TSYNC (1U << 3)

/// The kernel's Landlock ABI version (>= 1), or -ENOSYS (not built in) / -EOPNOTSUPP (disabled at boot).
int nm_landlock_abi(void);
/// A ruleset that handles `handled_access_fs`. Returns the ruleset descriptor or -errno.
int nm_landlock_ruleset_create(uint64_t handled_access_fs);
/// Allows `directory_access` beneath `path` when it is a directory, or `file_access` when it is anything else
/// (the kernel rejects directory-only rights on files). Reports the rights actually granted in `granted`.
int nm_landlock_allow_path(int ruleset, const char *path, uint64_t directory_access, uint64_t file_access,
                           uint64_t *granted);
/// Enforces the ruleset on the calling thread (or all threads with NM_LANDLOCK_RESTRICT_SELF_TSYNC).
int nm_landlock_enforce(int ruleset, uint32_t flags);

// MARK: Probes

/// A raw syscall, for probes and tests that must reach the kernel without a libc wrapper (ptrace, mount...).
/// Returns the kernel's result, or -errno.
long nm_raw_syscall(long number, long a0, long a1, long a2, long a3, long a4, long a5);

#ifdef __cplusplus
}
#endif

#endif
