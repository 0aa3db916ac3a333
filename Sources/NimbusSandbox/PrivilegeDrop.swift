import CNimbusSandbox
import Glibc

/// Phase 1 of the sandbox, step by step (see `Sandbox.dropPrivileges`).
///
/// Order matters: the bounding set can only be dropped while CAP_SETPCAP is still effective, i.e. before the uid
/// switch; groups must change before the uid does; the kernel resets dumpability on every credential change, so it
/// is set last.
struct PrivilegeDrop {
    let profile: SandboxProfile
    let kept: CapabilitySet
    let isRoot: Bool
    var report: SandboxReport
    /// The identity after the switch, when one happened; verified at the end.
    private var switchedTo: (uid: UInt32, gid: UInt32)?
    /// Whether the bounding set now equals the kept set; verified at the end.
    private var boundingDropped = false
    /// The capabilities the process holds after the drop; verified at the end.
    private var heldAfterDrop: UInt64 = 0

    init(profile: SandboxProfile) throws(SandboxError) {
        self.profile = profile
        self.kept = try CapabilitySet(names: profile.keptCapabilities, role: profile.roleName)
        self.isRoot = geteuid() == 0
        self.report = SandboxReport(roleName: profile.roleName)
    }

    mutating func run() throws(SandboxError) -> SandboxReport {
        try requireSingleThread()
        try disableCoreDumps()
        try dropBoundingSet()
        try clearAmbient()
        try switchIdentity()
        try setCapabilities()
        try setDumpable()
        try verify()
        return report
    }

    // MARK: Steps

    /// Capabilities, the bounding set and keepcaps are per thread; a thread started earlier would keep them all.
    private func requireSingleThread() throws(SandboxError) {
        let status = try ProcStatus.read(pid: getpid())
        guard status.threads == 1 else {
            throw SandboxError(
                .capabilities,
                "sandbox \(profile.roleName): dropPrivileges found \(status.threads) threads, but capabilities are "
                    + "per thread; call Sandbox.dropPrivileges at the top of main, before anything starts a thread"
            )
        }
    }

    private mutating func disableCoreDumps() throws(SandboxError) {
        try check(nm_disable_core_dumps(), .hardening, "cannot set RLIMIT_CORE to 0")
        report.record("core-dumps", inForce: true, "RLIMIT_CORE=0")
    }

    private mutating func dropBoundingSet() throws(SandboxError) {
        let last = nm_cap_last_cap()
        try check(last, .capabilities, "cannot probe the kernel's capabilities with PR_CAPBSET_READ")
        var dropped = 0
        var refused: [Int32] = []
        for capability in 0...last where !kept.contains(Int(capability)) {
            guard nm_cap_bounding_has(capability) == 1 else { continue }
            let result = nm_cap_bounding_drop(capability)
            if result == 0 {
                dropped += 1
            } else if result == -EPERM {
                refused.append(capability)
            } else {
                try check(result, .capabilities, "cannot drop capability \(capability) from the bounding set")
            }
        }
        if refused.isEmpty {
            boundingDropped = true
            report.record("bounding-set", inForce: true, "bounding set = \(kept.listing) (\(dropped) dropped)")
        } else if isRoot {
            throw SandboxError(
                .capabilities,
                "sandbox \(profile.roleName): root but cannot drop \(refused.count) capabilities from the bounding "
                    + "set (EPERM: CAP_SETPCAP missing; was the daemon started with a reduced capability set?)"
            )
        } else {
            report.record(
                "bounding-set", inForce: false,
                "needs CAP_SETPCAP (not root): \(refused.count) capabilities stay in the bounding set"
            )
        }
    }

    private mutating func clearAmbient() throws(SandboxError) {
        let result = nm_cap_ambient_clear()
        if result == -EINVAL {  // kernels before 4.3 have no ambient set, so there is nothing to clear
            report.record("ambient-caps", inForce: true, "none (kernel has no ambient capabilities)")
            return
        }
        try check(result, .capabilities, "cannot clear the ambient capability set")
        report.record("ambient-caps", inForce: true, "cleared")
    }

    private mutating func switchIdentity() throws(SandboxError) {
        guard let user = profile.user else { return }
        var uid: uid_t = 0
        var gid: gid_t = 0
        let lookup = nm_lookup_user(user, &uid, &gid)
        if lookup == -ENOENT {
            throw SandboxError(
                .identity,
                "sandbox \(profile.roleName): user '\(user)' does not exist; create it (useradd --system \(user)) "
                    + "or change the profile"
            )
        }
        try check(lookup, .identity, "cannot look up user '\(user)'")
        guard isRoot else {
            if getuid() == uid && geteuid() == uid {
                report.record("identity", inForce: true, "already uid \(uid) (\(user))")
            } else {
                report.record(
                    "identity", inForce: false, "needs root to become '\(user)' (uid \(uid)); still uid \(geteuid())"
                )
            }
            return
        }
        // Without keepcaps, leaving uid 0 empties the permitted set and the kept capabilities would be lost.
        if !kept.isEmpty {
            try check(nm_set_keep_caps(1), .capabilities, "cannot set PR_SET_KEEPCAPS")
        }
        try check(nm_switch_identity(uid, gid), .identity, "cannot switch to user '\(user)' (uid \(uid), gid \(gid))")
        switchedTo = (uid, gid)
        report.record("identity", inForce: true, "uid \(uid) gid \(gid) (\(user)), supplementary groups {\(gid)}")
    }

    private mutating func setCapabilities() throws(SandboxError) {
        var effective: UInt64 = 0
        var permitted: UInt64 = 0
        var inheritable: UInt64 = 0
        try check(nm_cap_get(&effective, &permitted, &inheritable), .capabilities, "cannot read capabilities")
        let missing = kept.mask & ~permitted
        if isRoot && missing != 0 {
            throw SandboxError(
                .capabilities,
                "sandbox \(profile.roleName): profile keeps \(kept.names(in: missing).joined(separator: ", ")) "
                    + "but the process does not hold it (permitted \(hexMask(permitted))); grant it to the daemon "
                    + "or remove it from the profile"
            )
        }
        let target = kept.mask & permitted
        try check(nm_cap_set_exact(target), .capabilities, "cannot set capabilities to \(hexMask(target))")
        if !kept.isEmpty {
            try check(nm_set_keep_caps(0), .capabilities, "cannot clear PR_SET_KEEPCAPS")
        }
        heldAfterDrop = target
        var detail = "permitted = effective = inheritable = {\(kept.names(in: target).joined(separator: ", "))}"
        if missing != 0 {
            detail += "; requested but not held: \(kept.names(in: missing).joined(separator: ", "))"
        }
        report.record("capabilities", inForce: true, detail)
    }

    private mutating func setDumpable() throws(SandboxError) {
        if profile.dumpable {
            // The uid switch made the process non-dumpable; the profile explicitly wants it debuggable.
            if switchedTo != nil { try check(nm_set_dumpable(1), .hardening, "cannot set PR_SET_DUMPABLE=1") }
            return
        }
        try check(nm_set_dumpable(0), .hardening, "cannot set PR_SET_DUMPABLE=0")
        report.record("not-dumpable", inForce: true, "PR_SET_DUMPABLE=0")
    }

    /// Reads the result back from the kernel, so the report never claims more than /proc shows.
    private func verify() throws(SandboxError) {
        let status = try ProcStatus.readCurrentThread()
        var problems: [String] = []
        if status.capEff != heldAfterDrop { problems.append("CapEff \(hexMask(status.capEff))") }
        if status.capPrm != heldAfterDrop { problems.append("CapPrm \(hexMask(status.capPrm))") }
        if status.capAmb != 0 { problems.append("CapAmb \(hexMask(status.capAmb))") }
        if boundingDropped && status.capBnd & ~kept.mask != 0 { problems.append("CapBnd \(hexMask(status.capBnd))") }
        if let (uid, gid) = switchedTo {
            let uids = [status.realUID, status.effectiveUID, status.savedUID, status.filesystemUID]
            let gids = [status.realGID, status.effectiveGID, status.savedGID, status.filesystemGID]
            if uids.contains(where: { $0 != uid }) { problems.append("Uid \(uids)") }
            if gids.contains(where: { $0 != gid }) { problems.append("Gid \(gids)") }
            if status.groups != [gid] { problems.append("Groups \(status.groups)") }
        }
        guard problems.isEmpty else {
            throw SandboxError(
                .capabilities,
                "sandbox \(profile.roleName): after dropping privileges /proc shows "
                    + problems.joined(separator: ", ") + " (expected capabilities \(hexMask(heldAfterDrop)))"
            )
        }
    }

    private func check(_ result: Int32, _ area: SandboxError.Area, _ what: String) throws(SandboxError) {
        guard result < 0 else { return }
        throw SandboxError(area, "sandbox \(profile.roleName): \(what): \(describeErrno(-result))")
    }
}
