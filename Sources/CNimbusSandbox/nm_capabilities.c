// Capability sets through prctl and libcap.
#define _GNU_SOURCE
#include "CNimbusSandbox.h"

#include <errno.h>
#include <sys/capability.h>
#include <sys/prctl.h>

int nm_cap_last_cap(void) {
    // Ask the kernel rather than libcap's compile-time list: the kernel may know fewer (or more) capabilities.
    int last = -1;
    for (int cap = 0; cap < 64; cap++) {
        if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0) break;
        last = cap;
    }
    return last >= 0 ? last : -EINVAL;
}

int nm_cap_from_name(const char *name) {
    cap_value_t value;
    return cap_from_name(name, &value) == 0 ? (int)value : -1;
}

int nm_cap_bounding_has(int cap) {
    int result = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
    return result >= 0 ? result : -errno;
}

int nm_cap_bounding_drop(int cap) {
    return prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0 ? 0 : -errno;
}

int nm_cap_ambient_clear(void) {
    return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == 0 ? 0 : -errno;
}

static uint64_t nm_cap_mask_of(cap_t caps, cap_flag_t flag, int last) {
    uint64_t mask = 0;
    for (int cap = 0; cap <= last && cap < 64; cap++) {
        cap_flag_value_t value = CAP_CLEAR;
        if (cap_get_flag(caps, (cap_value_t)cap, flag, &value) == 0 && value == CAP_SET) mask |= UINT64_C(1) << cap;
    }
    return mask;
}

int nm_cap_get(uint64_t *effective, uint64_t *permitted, uint64_t *inheritable) {
    int last = nm_cap_last_cap();
    if (last < 0) return last;
    cap_t caps = cap_get_proc();
    if (caps == NULL) return -errno;
    *effective = nm_cap_mask_of(caps, CAP_EFFECTIVE, last);
    *permitted = nm_cap_mask_of(caps, CAP_PERMITTED, last);
    *inheritable = nm_cap_mask_of(caps, CAP_INHERITABLE, last);
    cap_free(caps);
    return 0;
}

int nm_cap_set_exact(uint64_t mask) {
    cap_t caps = cap_init();  // starts with every flag clear
    if (caps == NULL) return -errno;
    cap_value_t values[64];
    int count = 0;
    for (int cap = 0; cap < 64; cap++) {
        if (mask & (UINT64_C(1) << cap)) values[count++] = (cap_value_t)cap;
    }
    int rc = 0;
    if (count > 0) {
        if (cap_set_flag(caps, CAP_PERMITTED, count, values, CAP_SET) != 0 ||
            cap_set_flag(caps, CAP_EFFECTIVE, count, values, CAP_SET) != 0 ||
            cap_set_flag(caps, CAP_INHERITABLE, count, values, CAP_SET) != 0) {
            rc = -errno;
        }
    }
    if (rc == 0 && cap_set_proc(caps) != 0) rc = -errno;
    int saved = errno;
    cap_free(caps);
    errno = saved;
    return rc;
}
