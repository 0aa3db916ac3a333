/// Symbolic values a policy may use in conditions, so rules read `arg0 == AF_UNIX` rather than `arg0 == 1`.
///
/// Only values that are the same on x86_64 and aarch64 belong here; the table is deliberately small and is
/// listed in docs/sandbox.md. Several names may be combined with `|`.
enum PolicyConstants {
    static let values: [String: UInt64] = [
        // socket(2) domains
        "AF_UNIX": 1, "AF_LOCAL": 1, "AF_INET": 2, "AF_INET6": 10, "AF_NETLINK": 16, "AF_PACKET": 17,
        // mmap(2) / mprotect(2) protection bits
        "PROT_READ": 0x1, "PROT_WRITE": 0x2, "PROT_EXEC": 0x4,
        // clone(2) / unshare(2) flags
        "CLONE_THREAD": 0x10000, "CLONE_NEWNS": 0x20000, "CLONE_NEWCGROUP": 0x200_0000,
        "CLONE_NEWUTS": 0x400_0000, "CLONE_NEWIPC": 0x800_0000, "CLONE_NEWUSER": 0x1000_0000,
        "CLONE_NEWPID": 0x2000_0000, "CLONE_NEWNET": 0x4000_0000,
        // prctl(2) options
        "PR_SET_PDEATHSIG": 1, "PR_GET_PDEATHSIG": 2, "PR_GET_DUMPABLE": 3, "PR_SET_NAME": 15, "PR_GET_NAME": 16,
        "PR_GET_SECCOMP": 21, "PR_CAPBSET_READ": 23, "PR_GET_NO_NEW_PRIVS": 39,
        // ioctl(2) requests (generic values, as used on x86_64 and aarch64)
        "TCGETS": 0x5401, "TIOCSTI": 0x5412, "TIOCGWINSZ": 0x5413, "FIONREAD": 0x541B, "FIONBIO": 0x5421,
        "FIOCLEX": 0x5451, "FIONCLEX": 0x5450,
        // prlimit64(2): a NULL new-limit pointer means "read only"
        "NULL": 0,
    ]
}
