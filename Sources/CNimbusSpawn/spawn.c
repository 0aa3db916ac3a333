#define _GNU_SOURCE
#include "CNimbusSpawn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif

struct nm_child_report {
    int step;
    int error;
};

// Only async-signal-safe calls below: the parent may have many threads, and the child has only this one.
static void nm_child_fail(int report_fd, int step) {
    struct nm_child_report report = {step, errno};
    ssize_t ignored = write(report_fd, &report, sizeof report);
    (void)ignored;
    _exit(127);
}

static int nm_write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t length = strlen(text);
    ssize_t written = write(fd, text, length);
    int saved = errno;
    close(fd);
    errno = saved;
    return written == (ssize_t)length ? 0 : -1;
}

static void nm_child(const nm_spawn_request *request, int report_fd, pid_t parent, const char *uid_map,
                     const char *gid_map) {
    // Inherit nothing of the supervisor's signal handling.
    sigset_t all;
    sigemptyset(&all);
    if (sigprocmask(SIG_SETMASK, &all, NULL) != 0) nm_child_fail(report_fd, NM_SPAWN_STEP_SIGNALS);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        sigaction(sig, &dfl, NULL);  // fails harmlessly for the signals reserved by the C library
    }

    // A terminal's Ctrl-C reaches only the supervisor, which then shuts the roles down in order.
    if (setsid() < 0) nm_child_fail(report_fd, NM_SPAWN_STEP_SESSION);

    if (request->new_user_namespace) {
        if (unshare(CLONE_NEWUSER | (request->new_net_namespace ? CLONE_NEWNET : 0)) != 0)
            nm_child_fail(report_fd, NM_SPAWN_STEP_USER_NAMESPACE);
        if (nm_write_file("/proc/self/setgroups", "deny") != 0 ||
            nm_write_file("/proc/self/uid_map", uid_map) != 0 || nm_write_file("/proc/self/gid_map", gid_map) != 0)
            nm_child_fail(report_fd, NM_SPAWN_STEP_USER_NAMESPACE);
    } else if (request->new_net_namespace) {
        if (unshare(CLONE_NEWNET) != 0) nm_child_fail(report_fd, NM_SPAWN_STEP_NET_NAMESPACE);
    }

    if (request->set_identity) {
        if (setgroups((size_t)request->ngroups, request->groups) != 0 ||
            setresgid(request->gid, request->gid, request->gid) != 0 ||
            setresuid(request->uid, request->uid, request->uid) != 0)
            nm_child_fail(report_fd, NM_SPAWN_STEP_IDENTITY);
    }

    // A child never outlives its spawner. Set after every credential change, which clears it.
    if (prctl(PR_SET_PDEATHSIG, request->death_signal ? request->death_signal : SIGKILL) != 0)
        nm_child_fail(report_fd, NM_SPAWN_STEP_SESSION);
    if (getppid() != parent) _exit(0);

    // Standard descriptors first: the link moves below close everything above the links.
    const int stdio[3] = {request->stdin_fd, request->stdout_fd, request->stderr_fd};
    for (int i = 0; i < 3; i++) {
        if (stdio[i] >= 0 && stdio[i] != i && dup2(stdio[i], i) < 0) nm_child_fail(report_fd, NM_SPAWN_STEP_STDIO);
        if (stdio[i] == i && fcntl(i, F_SETFD, 0) != 0) nm_child_fail(report_fd, NM_SPAWN_STEP_STDIO);
    }

    // Move the link ends to 3.. in two passes, so that a source descriptor is never overwritten before it is
    // copied: first above every target, then down into place (dup2 clears close-on-exec on the target).
    int base = 3 + request->nfds;
    if (report_fd < base + request->nfds) {
        int moved = fcntl(report_fd, F_DUPFD_CLOEXEC, base + request->nfds);
        if (moved < 0) nm_child_fail(report_fd, NM_SPAWN_STEP_DESCRIPTORS);
        report_fd = moved;
    }
    int staged[64];
    if (request->nfds > 64) { errno = EINVAL; nm_child_fail(report_fd, NM_SPAWN_STEP_DESCRIPTORS); }
    for (int i = 0; i < request->nfds; i++) {
        staged[i] = fcntl(request->fds[i], F_DUPFD_CLOEXEC, base);
        if (staged[i] < 0) nm_child_fail(report_fd, NM_SPAWN_STEP_DESCRIPTORS);
    }
    for (int i = 0; i < request->nfds; i++) {
        if (dup2(staged[i], 3 + i) < 0) nm_child_fail(report_fd, NM_SPAWN_STEP_DESCRIPTORS);
    }
    // Close everything above the links except the report pipe, which is close-on-exec and goes away with exec.
    if (report_fd > base) {
        if (syscall(SYS_close_range, (unsigned)base, (unsigned)report_fd - 1, 0) != 0)
            nm_child_fail(report_fd, NM_SPAWN_STEP_DESCRIPTORS);
    }
    if (syscall(SYS_close_range, (unsigned)report_fd + 1, ~0U, 0) != 0)
        nm_child_fail(report_fd, NM_SPAWN_STEP_DESCRIPTORS);

    execve(request->path, request->argv, request->envp);
    nm_child_fail(report_fd, NM_SPAWN_STEP_EXEC);
}

int nm_spawn(const nm_spawn_request *request, pid_t *pid, int *failed_step, int *child_errno) {
    *failed_step = NM_SPAWN_STEP_NONE;
    *child_errno = 0;
    // Formatted before fork: snprintf is not async-signal-safe.
    char uid_map[64], gid_map[64];
    snprintf(uid_map, sizeof uid_map, "%u %u 1\n", (unsigned)getuid(), (unsigned)getuid());
    snprintf(gid_map, sizeof gid_map, "%u %u 1\n", (unsigned)getgid(), (unsigned)getgid());

    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) {
        *failed_step = NM_SPAWN_STEP_FORK;
        *child_errno = errno;
        return -1;
    }
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) {
        *failed_step = NM_SPAWN_STEP_FORK;
        *child_errno = errno;
        close(report[0]);
        close(report[1]);
        return -1;
    }
    if (child == 0) {
        close(report[0]);
        nm_child(request, report[1], parent, uid_map, gid_map);
        _exit(127);
    }
    close(report[1]);
    struct nm_child_report outcome;
    ssize_t got;
    do {
        got = read(report[0], &outcome, sizeof outcome);
    } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof outcome) {
        // The child failed before exec and has exited: reap it here so the caller never sees a stray pid.
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
        *failed_step = outcome.step;
        *child_errno = outcome.error;
        return -1;
    }
    *pid = child;
    return 0;
}

int nm_socketpair(int fds[2]) {
    return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0 ? 0 : -errno;
}

ssize_t nm_send(int socket, const void *bytes, size_t length, int fd) {
    struct iovec iov = {.iov_base = (void *)bytes, .iov_len = length};
    struct msghdr message;
    memset(&message, 0, sizeof message);
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    union {
        char buffer[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    if (fd >= 0) {
        memset(&control, 0, sizeof control);
        message.msg_control = control.buffer;
        message.msg_controllen = sizeof control.buffer;
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(header), &fd, sizeof(int));
    }
    ssize_t sent;
    do {
        sent = sendmsg(socket, &message, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    return sent < 0 ? -errno : sent;
}

ssize_t nm_receive(int socket, void *bytes, size_t capacity, int *fds, int max_fds, int *nfds, int *truncated) {
    *nfds = 0;
    *truncated = 0;
    struct iovec iov = {.iov_base = bytes, .iov_len = capacity};
    struct msghdr message;
    memset(&message, 0, sizeof message);
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    union {
        char buffer[CMSG_SPACE(sizeof(int) * 8)];
        struct cmsghdr align;
    } control;
    message.msg_control = control.buffer;
    message.msg_controllen = sizeof control.buffer;
    ssize_t got;
    do {
        got = recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
    } while (got < 0 && errno == EINTR);
    if (got < 0) return -errno;
    if (message.msg_flags & MSG_CTRUNC) *truncated = 1;
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) {
            *truncated = 1;
            continue;
        }
        size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < count; i++) {
            int received;
            memcpy(&received, CMSG_DATA(header) + i * sizeof(int), sizeof(int));
            if (*nfds < max_fds) {
                fds[(*nfds)++] = received;
            } else {
                close(received);
                *truncated = 1;
            }
        }
    }
    return got;
}

int nm_peer_credentials(int socket, pid_t *pid, uid_t *uid, gid_t *gid) {
    struct ucred credentials;
    socklen_t length = sizeof credentials;
    if (getsockopt(socket, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return -errno;
    *pid = credentials.pid;
    *uid = credentials.uid;
    *gid = credentials.gid;
    return 0;
}
