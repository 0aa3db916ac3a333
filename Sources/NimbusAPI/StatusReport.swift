import NimbusIPC

/// `GET /v1/status` on the control socket and `nimbus status --json`. Field names and types are a stable interface
/// (docs/cli.md): add fields, never rename or remove them.
public struct StatusReport: Codable, Sendable, Equatable {
    /// The node manager's version.
    public var version: String
    /// `system` (started as root, full sandbox) or `dev` (unprivileged).
    public var mode: String
    /// One entry per role, supervisor-reported, in the order network, signer, installer.
    public var roles: [RoleReport]
    /// The signer's key store, or null when the signer did not answer (see `signerError`).
    public var signer: SignerReport?
    public var signerError: String?
    /// The installer's state, or null when it did not answer (see `installerError`).
    public var installer: InstallerReport?
    public var installerError: String?

    enum CodingKeys: String, CodingKey {
        case version, mode, roles, signer, installer
        case signerError = "signer_error"
        case installerError = "installer_error"
    }

    public init(
        version: String, mode: String, roles: [RoleReport], signer: SignerReport?, signerError: String?,
        installer: InstallerReport?, installerError: String?
    ) {
        self.version = version
        self.mode = mode
        self.roles = roles
        self.signer = signer
        self.signerError = signerError
        self.installer = installer
        self.installerError = installerError
    }
}

/// One role in `StatusReport`.
public struct RoleReport: Codable, Sendable, Equatable {
    public var role: String
    public var state: String
    public var pid: Int32?
    public var user: String
    public var uid: UInt32
    public var restarts: UInt32
    /// Why the previous process of this role ended, e.g. "killed by signal 9 (SIGKILL)".
    public var lastExit: String?
    /// RFC 3339 UTC time the current process was spawned.
    public var startedAt: String?
    /// What /proc says about the process (read by the supervisor, not claimed by the role).
    public var sandbox: ObservedSandboxReport?
    /// What the role says it put in force.
    public var steps: [SandboxStepEntry]

    enum CodingKeys: String, CodingKey {
        case role, state, pid, user, uid, restarts, sandbox, steps
        case lastExit = "last_exit"
        case startedAt = "started_at"
    }

    public init(
        role: String, state: String, pid: Int32?, user: String, uid: UInt32, restarts: UInt32, lastExit: String?,
        startedAt: String?, sandbox: ObservedSandboxReport?, steps: [SandboxStepEntry]
    ) {
        self.role = role
        self.state = state
        self.pid = pid
        self.user = user
        self.uid = uid
        self.restarts = restarts
        self.lastExit = lastExit
        self.startedAt = startedAt
        self.sandbox = sandbox
        self.steps = steps
    }
}

/// /proc/<pid>/status and /proc/<pid>/ns/net of a role.
public struct ObservedSandboxReport: Codable, Sendable, Equatable {
    /// 0 none, 1 strict, 2 filter.
    public var seccomp: UInt8
    public var noNewPrivs: Bool
    /// Hexadecimal, 16 digits, as in /proc.
    public var capEff: String
    public var capBnd: String
    public var netNamespace: String
    /// True when the role's network namespace is not the supervisor's.
    public var ownNetNamespace: Bool

    enum CodingKeys: String, CodingKey {
        case seccomp
        case noNewPrivs = "no_new_privs"
        case capEff = "cap_eff"
        case capBnd = "cap_bnd"
        case netNamespace = "net_namespace"
        case ownNetNamespace = "own_net_namespace"
    }

    public init(
        seccomp: UInt8, noNewPrivs: Bool, capEff: String, capBnd: String, netNamespace: String, ownNetNamespace: Bool
    ) {
        self.seccomp = seccomp
        self.noNewPrivs = noNewPrivs
        self.capEff = capEff
        self.capBnd = capBnd
        self.netNamespace = netNamespace
        self.ownNetNamespace = ownNetNamespace
    }
}

/// One sandbox step a role reported.
public struct SandboxStepEntry: Codable, Sendable, Equatable {
    public var step: String
    public var inForce: Bool
    public var detail: String

    enum CodingKeys: String, CodingKey {
        case step, detail
        case inForce = "in_force"
    }

    public init(step: String, inForce: Bool, detail: String) {
        self.step = step
        self.inForce = inForce
        self.detail = detail
    }
}

/// The signer's answer to `keyStoreStatusRequest`.
public struct SignerReport: Codable, Sendable, Equatable {
    public var keystores: UInt32
    public var schemaVersion: UInt32

    enum CodingKeys: String, CodingKey {
        case keystores
        case schemaVersion = "schema_version"
    }

    public init(keystores: UInt32, schemaVersion: UInt32) {
        self.keystores = keystores
        self.schemaVersion = schemaVersion
    }
}

/// The installer's answer to `installStateRequest`.
public struct InstallerReport: Codable, Sendable, Equatable {
    public var phase: String
    public var activeVersion: String?
    public var installedVersions: [String]
    public var schemaVersion: UInt32

    enum CodingKeys: String, CodingKey {
        case phase
        case activeVersion = "active_version"
        case installedVersions = "installed_versions"
        case schemaVersion = "schema_version"
    }

    public init(phase: String, activeVersion: String?, installedVersions: [String], schemaVersion: UInt32) {
        self.phase = phase
        self.activeVersion = activeVersion
        self.installedVersions = installedVersions
        self.schemaVersion = schemaVersion
    }
}

/// The body of every non-2xx answer on the control socket.
public struct APIError: Codable, Sendable, Equatable {
    public var error: String

    public init(error: String) {
        self.error = error
    }
}

// Optional fields are written as explicit nulls rather than left out, so that every documented key is always
// present in `nimbus status --json` and scripts can rely on the shape.
extension StatusReport {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(mode, forKey: .mode)
        try container.encode(roles, forKey: .roles)
        try container.encode(signer, forKey: .signer)
        try container.encode(signerError, forKey: .signerError)
        try container.encode(installer, forKey: .installer)
        try container.encode(installerError, forKey: .installerError)
    }
}

extension RoleReport {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        try container.encode(state, forKey: .state)
        try container.encode(pid, forKey: .pid)
        try container.encode(user, forKey: .user)
        try container.encode(uid, forKey: .uid)
        try container.encode(restarts, forKey: .restarts)
        try container.encode(lastExit, forKey: .lastExit)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(sandbox, forKey: .sandbox)
        try container.encode(steps, forKey: .steps)
    }
}

extension InstallerReport {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(phase, forKey: .phase)
        try container.encode(activeVersion, forKey: .activeVersion)
        try container.encode(installedVersions, forKey: .installedVersions)
        try container.encode(schemaVersion, forKey: .schemaVersion)
    }
}
