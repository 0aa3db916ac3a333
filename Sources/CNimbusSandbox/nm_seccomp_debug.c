// Debug mode: a SIGSYS handler that names the forbidden syscall and lets it fail with ENOSYS.
//
// The handler runs inside a seccomp trap, possibly while another thread holds the malloc lock, so it may only
// use async-signal-safe calls. Everything it prints is therefore copied into static storage beforehand.
#define _GNU_SOURCE
#include "CNimbusSandbox.h"

#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

// si_code of a SIGSYS raised by a seccomp trap; glibc's <signal.h> does not define it.
#define NM_SIGSYS_SECCOMP 1

#define NM_DEBUG_SYSCALL_SLOTS 1024
#define NM_DEBUG_NAME_SIZE 32
#define NM_DEBUG_ROLE_SIZE 64

static char nm_debug_names[NM_DEBUG_SYSCALL_SLOTS][NM_DEBUG_NAME_SIZE];
static char nm_debug_role[NM_DEBUG_ROLE_SIZE];

static void nm_debug_append(char *buffer, size_t size, size_t *length, const char *text) {
    while (*text != '\0' && *length + 1 < size) buffer[(*length)++] = *text++;
}

static void nm_debug_append_number(char *buffer, size_t size, size_t *length, long number) {
    char digits[24];
    int count = 0;
    unsigned long magnitude = number < 0 ? (unsigned long)(-number) : (unsigned long)number;
    do {
        digits[count++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0 && count < (int)sizeof digits);
    if (number < 0 && *length + 1 < size) buffer[(*length)++] = '-';
    while (count > 0 && *length + 1 < size) buffer[(*length)++] = digits[--count];
}

static void nm_debug_sigsys(int signal_number, siginfo_t *info, void *context) {
    (void)signal_number;
    if (info->si_code != NM_SIGSYS_SECCOMP) return;  // a SIGSYS someone sent with kill(): nothing to report or fix
    int saved_errno = errno;
    int number = info->si_syscall;
    const char *name = "unknown";
    if (number >= 0 && number < NM_DEBUG_SYSCALL_SLOTS && nm_debug_names[number][0] != '\0') {
        name = nm_debug_names[number];
    }
    char message[192];
    size_t length = 0;
    nm_debug_append(message, sizeof message, &length, "seccomp: ");
    nm_debug_append(message, sizeof message, &length, nm_debug_role);
    nm_debug_append(message, sizeof message, &length, " made forbidden syscall ");
    nm_debug_append(message, sizeof message, &length, name);
    nm_debug_append(message, sizeof message, &length, " (");
    nm_debug_append_number(message, sizeof message, &length, number);
    nm_debug_append(message, sizeof message, &length, ")\n");
    ssize_t ignored = write(STDERR_FILENO, message, length);
    (void)ignored;

    // The trapped syscall never ran; the value left in the return register is what the caller sees.
    ucontext_t *machine = context;
#if defined(__x86_64__)
    machine->uc_mcontext.gregs[REG_RAX] = -ENOSYS;
#elif defined(__aarch64__)
    machine->uc_mcontext.regs[0] = (unsigned long long)(long long)-ENOSYS;
#else
#error "nm_seccomp_debug: set the syscall return register for this architecture"
#endif
    errno = saved_errno;
}

int nm_seccomp_debug_install(const char *role) {
    strncpy(nm_debug_role, role, sizeof nm_debug_role - 1);
    nm_debug_role[sizeof nm_debug_role - 1] = '\0';
    for (int number = 0; number < NM_DEBUG_SYSCALL_SLOTS; number++) {
        char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, number);
        if (name == NULL) continue;
        strncpy(nm_debug_names[number], name, NM_DEBUG_NAME_SIZE - 1);
        nm_debug_names[number][NM_DEBUG_NAME_SIZE - 1] = '\0';
        free(name);
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = nm_debug_sigsys;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGSYS, &action, NULL) == 0 ? 0 : -errno;
}
