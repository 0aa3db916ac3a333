import NimbusIPC

extension StatusReport {
    /// Builds the report from what the supervisor, the signer and the installer answered.
    /// `signer` and `installer` are either an answer or the words of why there is none.
    public init(
        mode: String, roles: [RoleInfo], signer: Result<KeyStoreStatus, any Error>,
        installer: Result<InstallState, any Error>
    ) {
        let order: [Role] = [.network, .signer, .installer]
        let sorted = roles.sorted { (order.firstIndex(of: $0.role) ?? 9) < (order.firstIndex(of: $1.role) ?? 9) }
        self.init(
            version: NodeManagerVersion.current, mode: mode, roles: sorted.map(RoleReport.init(_:)),
            signer: try? signer.map { SignerReport(keystores: $0.keystoreCount, schemaVersion: $0.schemaVersion) }.get(),
            signerError: Self.message(signer),
            installer: try? installer.map {
                InstallerReport(
                    phase: $0.phase.description, activeVersion: $0.activeVersion.isEmpty ? nil : $0.activeVersion,
                    installedVersions: $0.installedVersions, schemaVersion: $0.schemaVersion)
            }.get(),
            installerError: Self.message(installer))
    }

    private static func message<T>(_ result: Result<T, any Error>) -> String? {
        if case let .failure(error) = result { return "\(error)" }
        return nil
    }
}

extension RoleReport {
    /// The JSON form of the supervisor's `RoleInfo`.
    public init(_ info: RoleInfo) {
        self.init(
            role: info.role.description, state: info.state.description, pid: info.pid == 0 ? nil : info.pid,
            user: info.user, uid: info.uid, restarts: info.restarts, lastExit: info.lastExit.isEmpty ? nil : info.lastExit,
            startedAt: info.startedAtMillis == 0 ? nil : RFC3339.format(millis: info.startedAtMillis),
            sandbox: info.observed.map {
                ObservedSandboxReport(
                    seccomp: $0.seccompMode, noNewPrivs: $0.noNewPrivs, capEff: hex16($0.capEff),
                    capBnd: hex16($0.capBnd), netNamespace: $0.netNamespace, ownNetNamespace: $0.ownNetNamespace)
            },
            steps: info.reported.map { SandboxStepEntry(step: $0.name, inForce: $0.inForce, detail: $0.detail) })
    }
}

/// Capability masks as /proc prints them: 16 lowercase hex digits.
func hex16(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
}

/// RFC 3339 timestamps without Foundation's formatters (pure arithmetic on the civil calendar).
public enum RFC3339 {
    /// `2026-11-26T18:11:11.123Z` for Unix milliseconds.
    public static func format(millis: UInt64) -> String {
        let seconds = Int64(millis / 1000)
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        // Days to civil date (proleptic Gregorian), after H. Hinnant's well-known algorithm.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(Int64(millis % 1000), 3))Z"
    }
}
