/// The command line the supervisor gives a role executable. Strict: an unknown or repeated flag is an error,
/// because nothing but the supervisor should ever start a role.
public struct RoleArguments: Sendable, Equatable {
    /// The role's own state directory (mode 0700, owned by the role's user).
    public var stateDir: String
    /// The seccomp policy file of this role.
    public var policy: String
    /// The user to switch to (system mode); nil keeps the current identity (dev mode).
    public var user: String?
    /// Report forbidden syscalls instead of killing (development only).
    public var seccompDebug = false
    /// `trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`.
    public var logLevel = "info"
    /// `system` or `dev`, for reports.
    public var mode = "system"
    /// Network role: where to serve the control API.
    public var controlSocket: String?
    /// Network role: the socket file's mode (0660 in system mode, group-restricted; 0600 in dev mode).
    public var controlSocketMode: UInt32 = 0o600
    /// Network role: the managed nodes as JSON (`[ManagedNode]`; no secrets: token files are paths).
    public var nodesJSON: String?
    /// Network role: the Waku settings as JSON (`WakuSettings`).
    public var wakuJSON: String?
    /// Network role: the monitor's settings as JSON (`MonitoringSettings`: release source, restart window).
    public var monitoringJSON: String?

    /// The signer: who may open `nimbus keys` sessions ("uid:0,gid:998"; see `KeysClientPolicy`).
    public var keysClients: String?
    /// The signer: `[keys] withdrawal_address`.
    public var withdrawalAddress: String?
    /// The installer's release source (`[releases] url`) and its trust store (`[releases] ca_file`).
    public var releasesURL: String?
    public var releasesCAFile: String?
    /// The network role: where to accept `nimbus keys` sessions.
    public var keysSocket: String?

    public init(stateDir: String, policy: String) {
        self.stateDir = stateDir
        self.policy = policy
    }

    /// The argv (without the executable) that `parse` accepts back.
    public var arguments: [String] {
        var out = ["--state-dir", stateDir, "--policy", policy, "--log-level", logLevel, "--mode", mode]
        if let user { out += ["--user", user] }
        if seccompDebug { out.append("--seccomp-debug") }
        if let controlSocket {
            out += ["--control-socket", controlSocket, "--control-socket-mode", String(controlSocketMode, radix: 8)]
        }
        if let nodesJSON { out += ["--nodes", nodesJSON] }
        if let wakuJSON { out += ["--waku", wakuJSON] }
        if let monitoringJSON { out += ["--monitoring", monitoringJSON] }
        if let keysClients { out += ["--keys-clients", keysClients] }
        if let withdrawalAddress { out += ["--withdrawal-address", withdrawalAddress] }
        if let releasesURL { out += ["--releases-url", releasesURL] }
        if let releasesCAFile { out += ["--releases-ca-file", releasesCAFile] }
        if let keysSocket { out += ["--keys-socket", keysSocket] }
        return out
    }

    /// Why the command line was refused.
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses `arguments` (without the executable name).
    public static func parse(_ arguments: [String]) throws(Invalid) -> RoleArguments {
        var values: [String: String] = [:]
        var debug = false
        var index = 0
        let valued: Set<String> = [
            "--state-dir", "--policy", "--user", "--log-level", "--mode", "--control-socket", "--control-socket-mode",
            "--nodes", "--waku", "--monitoring", "--keys-clients", "--withdrawal-address", "--keys-socket",
            "--releases-url", "--releases-ca-file",
        ]
        while index < arguments.count {
            let flag = arguments[index]
            if flag == "--seccomp-debug" {
                guard !debug else { throw Invalid(description: "--seccomp-debug given twice") }
                debug = true
                index += 1
                continue
            }
            guard valued.contains(flag) else { throw Invalid(description: "unknown argument \(flag)") }
            guard index + 1 < arguments.count else { throw Invalid(description: "\(flag) needs a value") }
            guard values[flag] == nil else { throw Invalid(description: "\(flag) given twice") }
            values[flag] = arguments[index + 1]
            index += 2
        }
        guard let stateDir = values["--state-dir"], let policy = values["--policy"] else {
            throw Invalid(description: "--state-dir and --policy are required")
        }
        var parsed = RoleArguments(stateDir: stateDir, policy: policy)
        parsed.user = values["--user"]
        parsed.seccompDebug = debug
        if let level = values["--log-level"] {
            guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level) else {
                throw Invalid(description: "unknown log level \(level)")
            }
            parsed.logLevel = level
        }
        if let mode = values["--mode"] {
            guard mode == "system" || mode == "dev" else { throw Invalid(description: "unknown mode \(mode)") }
            parsed.mode = mode
        }
        parsed.controlSocket = values["--control-socket"]
        parsed.nodesJSON = values["--nodes"]
        parsed.wakuJSON = values["--waku"]
        parsed.monitoringJSON = values["--monitoring"]
        parsed.keysClients = values["--keys-clients"]
        parsed.withdrawalAddress = values["--withdrawal-address"]
        parsed.releasesURL = values["--releases-url"]
        parsed.releasesCAFile = values["--releases-ca-file"]
        parsed.keysSocket = values["--keys-socket"]
        if let mode = values["--control-socket-mode"] {
            guard let bits = UInt32(mode, radix: 8), bits <= 0o777 else {
                throw Invalid(description: "invalid --control-socket-mode \(mode)")
            }
            parsed.controlSocketMode = bits
        }
        return parsed
    }
}
