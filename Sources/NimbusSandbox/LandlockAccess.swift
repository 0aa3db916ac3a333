/// Landlock filesystem access rights (the kernel's LANDLOCK_ACCESS_FS_* bits) and which ABI introduced them.
///
/// Kept in Swift, not C, because the system headers may be older than the running kernel: Debian 12's headers
/// stop at ABI 2 while the kernel may speak ABI 7.
struct LandlockAccess: OptionSet, Sendable, Hashable {
    let rawValue: UInt64

    static let execute = LandlockAccess(rawValue: 1 << 0)
    static let writeFile = LandlockAccess(rawValue: 1 << 1)
    static let readFile = LandlockAccess(rawValue: 1 << 2)
    static let readDir = LandlockAccess(rawValue: 1 << 3)
    static let removeDir = LandlockAccess(rawValue: 1 << 4)
    static let removeFile = LandlockAccess(rawValue: 1 << 5)
    static let makeChar = LandlockAccess(rawValue: 1 << 6)
    static let makeDir = LandlockAccess(rawValue: 1 << 7)
    static let makeReg = LandlockAccess(rawValue: 1 << 8)
    static let makeSock = LandlockAccess(rawValue: 1 << 9)
    static let makeFifo = LandlockAccess(rawValue: 1 << 10)
    static let makeBlock = LandlockAccess(rawValue: 1 << 11)
    static let makeSym = LandlockAccess(rawValue: 1 << 12)
    /// ABI 2: link or rename across directories.
    static let refer = LandlockAccess(rawValue: 1 << 13)
    /// ABI 3: truncate(2), ftruncate on files opened later, O_TRUNC.
    static let truncate = LandlockAccess(rawValue: 1 << 14)
    /// ABI 5: ioctl on device files opened later.
    static let ioctlDev = LandlockAccess(rawValue: 1 << 15)

    /// Rights that make sense on a file rather than a directory; the kernel rejects the others on files.
    static let fileRights: LandlockAccess = [.execute, .writeFile, .readFile, .truncate, .ioctlDev]

    /// What `LandlockRules.readOnly` grants: read files, list directories, execute.
    static let readOnlyRights: LandlockAccess = [.execute, .readFile, .readDir]

    /// Every filesystem right the given ABI knows; all of them are handled, so anything not granted is denied.
    /// ABIs 4, 6, 7 and 8 added network ports, scoping, logging and thread sync, not filesystem rights.
    static func handled(byABI abi: Int) -> LandlockAccess {
        guard abi >= 1 else { return [] }
        var rights = LandlockAccess(rawValue: (1 << 13) - 1)  // ABI 1: execute through makeSym
        if abi >= 2 { rights.insert(.refer) }
        if abi >= 3 { rights.insert(.truncate) }
        if abi >= 5 { rights.insert(.ioctlDev) }
        return rights
    }
}
