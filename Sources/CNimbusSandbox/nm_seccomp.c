// Building and loading seccomp filters with libseccomp.
#define _GNU_SOURCE
#include "CNimbusSandbox.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

struct nm_seccomp_filter {
    scmp_filter_ctx context;
};

// Maps the shim's action codes onto libseccomp's; 0 with *valid = 0 for an unknown code.
static uint32_t nm_seccomp_action(uint32_t action, uint32_t errno_value, int *valid) {
    *valid = 1;
    switch (action) {
    case NM_SECCOMP_ALLOW: return SCMP_ACT_ALLOW;
    case NM_SECCOMP_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
    case NM_SECCOMP_ERRNO: return SCMP_ACT_ERRNO(errno_value);
    case NM_SECCOMP_LOG: return SCMP_ACT_LOG;
    case NM_SECCOMP_TRAP: return SCMP_ACT_TRAP;
    default: *valid = 0; return 0;
    }
}

int nm_seccomp_syscall_number(const char *name) {
    int number = seccomp_syscall_resolve_name(name);
    return number == __NR_SCMP_ERROR ? NM_SECCOMP_UNKNOWN_SYSCALL : number;
}

int nm_seccomp_syscall_name(int number, char *buffer, size_t size) {
    char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, number);
    if (name == NULL) return -ENOENT;
    if (size > 0) {
        strncpy(buffer, name, size - 1);
        buffer[size - 1] = '\0';
    }
    free(name);
    return 0;
}

nm_seccomp_filter *nm_seccomp_filter_create(uint32_t action, uint32_t errno_value) {
    int valid = 0;
    uint32_t native = nm_seccomp_action(action, errno_value, &valid);
    if (!valid) return NULL;
    nm_seccomp_filter *filter = malloc(sizeof *filter);
    if (filter == NULL) return NULL;
    filter->context = seccomp_init(native);
    if (filter->context == NULL) {
        free(filter);
        return NULL;
    }
    // Report the kernel's own error codes from seccomp_load instead of libseccomp's generic -ECANCELED.
    (void)seccomp_attr_set(filter->context, SCMP_FLTATR_API_SYSRAWRC, 1);
    // A syscall made through another ABI (int 0x80, x32) would dodge every rule; libseccomp's default for those
    // kills only the calling thread, which can leave a half-working process behind.
    if (seccomp_attr_set(filter->context, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) != 0) {
        seccomp_release(filter->context);
        free(filter);
        return NULL;
    }
    return filter;
}

int nm_seccomp_filter_add(nm_seccomp_filter *filter, uint32_t action, uint32_t errno_value, int number,
                          const nm_seccomp_condition *conditions, uint32_t count) {
    int valid = 0;
    uint32_t native = nm_seccomp_action(action, errno_value, &valid);
    if (!valid || count > 6) return -EINVAL;
    struct scmp_arg_cmp comparisons[6];
    for (uint32_t index = 0; index < count; index++) {
        const nm_seccomp_condition *condition = &conditions[index];
        struct scmp_arg_cmp *comparison = &comparisons[index];
        comparison->arg = condition->argument;
        switch (condition->comparison) {
        case NM_SECCOMP_EQUAL:
            comparison->op = SCMP_CMP_EQ;
            comparison->datum_a = condition->value;
            comparison->datum_b = 0;
            break;
        case NM_SECCOMP_NOT_EQUAL:
            comparison->op = SCMP_CMP_NE;
            comparison->datum_a = condition->value;
            comparison->datum_b = 0;
            break;
        case NM_SECCOMP_MASKED_EQUAL:
            comparison->op = SCMP_CMP_MASKED_EQ;
            comparison->datum_a = condition->mask;
            comparison->datum_b = condition->value;
            break;
        default:
            return -EINVAL;
        }
    }
    return seccomp_rule_add_array(filter->context, native, number, count, comparisons);
}

int nm_seccomp_filter_load(nm_seccomp_filter *filter, int synchronize_threads) {
    if (synchronize_threads) {
        int rc = seccomp_attr_set(filter->context, SCMP_FLTATR_CTL_TSYNC, 1);
        if (rc != 0) return rc;
    }
    return seccomp_load(filter->context);
}

int nm_seccomp_filter_export(nm_seccomp_filter *filter, int fd) {
    return seccomp_export_pfc(filter->context, fd);
}

void nm_seccomp_filter_destroy(nm_seccomp_filter *filter) {
    if (filter == NULL) return;
    seccomp_release(filter->context);
    free(filter);
}
