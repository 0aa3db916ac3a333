// Process spawning and descriptor passing for the node manager. Raw syscalls live here so that the Swift side
// never runs between fork and exec, and never has to spell out cmsg arithmetic.
#ifndef CNIMBUS_SPAWN_H
#define CNIMBUS_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

/// What a role process needs from its spawner.
typedef struct nm_spawn_request {
    /// Absolute path of the executable.
    const char *path;
    /// NULL-terminated argument and environment vectors.
    char *const *argv;
    char *const *envp;
    /// Descriptors to place at 3, 4, ... in the child, in this order. Every other descriptor above 2 is closed.
    const int *fds;
    int nfds;
    /// 1: the child gets a new network namespace (needs CAP_SYS_ADMIN, or `new_user_namespace`).
    int new_net_namespace;
    /// 1: the child first enters a new user namespace mapping its own uid and gid to themselves, which lets an
    /// unprivileged parent give it a network namespace.
    int new_user_namespace;
    /// Descriptors for the child's standard input, output and error; -1 keeps the parent's.
    int stdin_fd;
    int stdout_fd;
    int stderr_fd;
    /// 1: the child takes `uid`, `gid` and the supplementary `groups` (setgroups, setresgid, setresuid) before
    /// exec, which drops every capability of a root parent (needs CAP_SETUID and CAP_SETGID).
    int set_identity;
    uid_t uid;
    gid_t gid;
    const gid_t *groups;
    int ngroups;
    /// The signal the child gets when the spawning thread dies (PR_SET_PDEATHSIG); 0 means SIGKILL.
    int death_signal;
} nm_spawn_request;

/// The step of the child set-up that failed, reported with its errno.
enum nm_spawn_step {
    NM_SPAWN_STEP_NONE = 0,
    NM_SPAWN_STEP_FORK = 1,
    NM_SPAWN_STEP_SIGNALS = 2,
    NM_SPAWN_STEP_SESSION = 3,
    NM_SPAWN_STEP_USER_NAMESPACE = 4,
    NM_SPAWN_STEP_NET_NAMESPACE = 5,
    NM_SPAWN_STEP_DESCRIPTORS = 6,
    NM_SPAWN_STEP_EXEC = 7,
    NM_SPAWN_STEP_IDENTITY = 8,
    NM_SPAWN_STEP_STDIO = 9,
};

/// Forks and execs `request->path`. Between fork and exec the child calls only async-signal-safe functions:
/// it resets signal dispositions and mask, starts a new session, enters the requested namespaces, takes the requested
/// identity, asks for `death_signal` when the spawning thread dies, places the standard descriptors, moves the link
/// descriptors to 3.. and closes every other descriptor.
/// Returns 0 and the pid on success, or -1 with `*failed_step` and `*child_errno` saying what failed.
int nm_spawn(const nm_spawn_request *request, pid_t *pid, int *failed_step, int *child_errno);

/// socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC). Returns 0 or -errno.
int nm_socketpair(int fds[2]);

/// Sends `length` bytes; when `fd` >= 0 it travels with the first byte (SCM_RIGHTS). Never raises SIGPIPE.
/// Returns the number of bytes sent or -errno.
ssize_t nm_send(int socket, const void *bytes, size_t length, int fd);

/// Receives up to `capacity` bytes and any descriptors sent with them (close-on-exec), at most `max_fds`.
/// Returns the number of bytes (0 at end of stream) or -errno. `*truncated` is set when the kernel dropped
/// descriptors because there was no room, which the caller treats as a protocol violation.
ssize_t nm_receive(int socket, void *bytes, size_t capacity, int *fds, int max_fds, int *nfds, int *truncated);

/// SO_PEERCRED of a connected Unix socket. Returns 0 or -errno.
int nm_peer_credentials(int socket, pid_t *pid, uid_t *uid, gid_t *gid);

#endif
