/// Everything the supervisor needs to run, after merging defaults, the configuration file and the command line
/// (command line wins). Pure, so that the precedence rules are tested without a filesystem.
public struct Settings: Sendable, Equatable {
    /// `system`: started as root, roles switch to their users and get the full sandbox.
    /// `dev`: unprivileged, every sandbox step that works without root, state under a local directory.
    public enum Mode: String, Sendable {
        case system
        case dev
    }

    public var mode: Mode
    public var dataDir: String
    public var controlSocket: String
    public var controlGroup: String
    public var policyDir: String?
    public var logLevel: String
    public var seccompDebug: Bool
    public var shutdownTimeoutSeconds: Int
    public var networkUser: String
    public var signerUser: String
    /// The nodes to monitor; empty means "look for a local Nimbus on the default ports".
    public var nodes: [ManagedNode] = []
    /// The Waku node: listen address (service mode) and bootstrap multiaddrs; nil bootstrap means the defaults.
    public var waku = WakuSettings()
    /// `[keys] withdrawal_address`, checked by the signer (EIP-55 is checked there, where it matters).
    public var keysWithdrawalAddress: String?
    /// The release tracker and the restart window, for the network role's monitor.
    public var monitoring = MonitoringSettings()

    /// The `nimbus keys` socket: beside the control socket, same owner, group and mode.
    public var keysSocket: String {
        (controlSocket.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/"))
            + "/keys.sock"
    }

    /// System-mode defaults.
    public static let systemDataDir = "/var/lib/nimbus-node-manager"
    public static let systemControlSocket = "/run/nimbus-node-manager/control.sock"
    public static let devDataDir = ".nimbus-dev"

    /// What the command line said; nil means "not given".
    public struct Overrides: Sendable, Equatable {
        public var dev = false
        public var dataDir: String?
        public var controlSocket: String?
        public var policyDir: String?
        public var logLevel: String?
        public var seccompDebug: Bool?
        public var wakuListen: String?

        public init() {}
    }

    /// Why the settings cannot be used.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Resolves the settings. `isRoot` decides whether system mode is possible; `workingDirectory` anchors
    /// relative paths so that roles, which do not share the supervisor's working directory, see absolute ones.
    public static func resolve(
        config: NodeManagerConfig, overrides: Overrides, isRoot: Bool, workingDirectory: String
    ) throws(Invalid) -> Settings {
        let mode: Mode = overrides.dev ? .dev : .system
        if mode == .system && !isRoot {
            throw Invalid(
                description: "system mode needs root (it switches each role to its own user and sandboxes it); "
                    + "run `nimbus-node-manager --dev` for an unprivileged development instance")
        }
        func absolute(_ path: String) -> String {
            if path.hasPrefix("/") { return normalized(path) }
            return normalized(workingDirectory + "/" + path)
        }
        let dataDir = absolute(overrides.dataDir ?? config.dataDir ?? (mode == .dev ? devDataDir : systemDataDir))
        let socket = overrides.controlSocket ?? config.controlSocket
            ?? (mode == .dev ? dataDir + "/control.sock" : systemControlSocket)
        let timeout = config.shutdownTimeoutSeconds ?? 10
        var settings = Settings(
            mode: mode, dataDir: dataDir, controlSocket: absolute(socket),
            controlGroup: config.controlGroup ?? "nimbus-nm",
            policyDir: (overrides.policyDir ?? config.policyDir).map(absolute),
            logLevel: overrides.logLevel ?? config.logLevel ?? "info",
            seccompDebug: overrides.seccompDebug ?? config.seccompDebug ?? false,
            shutdownTimeoutSeconds: timeout,
            networkUser: config.networkUser ?? "nimbus-nm", signerUser: config.signerUser ?? "nimbus-signer")
        settings.nodes = config.nodes
        settings.keysWithdrawalAddress = config.keysWithdrawalAddress
        // Like Waku, dev mode asks nothing of the internet unless told to: no release source by default.
        let releaseURL = config.releasesURL ?? (mode == .dev ? nil : MonitoringSettings.defaultReleaseURL)
        settings.monitoring = MonitoringSettings(
            releaseURL: releaseURL?.isEmpty == true ? nil : releaseURL,
            releasePollSeconds: config.releasesPollSeconds ?? MonitoringSettings.defaultReleasePollSeconds,
            restartWindowSeconds: config.restartWindowSeconds ?? MonitoringSettings.defaultRestartWindowSeconds,
            hostPollSeconds: config.hostPollSeconds ?? MonitoringSettings.defaultHostPollSeconds)
        settings.monitoring.releaseCAFile = config.releasesCAFile
        // Dev mode is self-contained: a service node on loopback, and no public fleet unless configured.
        let listen = overrides.wakuListen ?? config.wakuListen
        switch config.wakuMode {
        case "client":
            // A light client in dev mode too, e.g. to try the offline behaviour against a local service node.
            if let listen {
                throw Invalid(
                    description: "waku mode \"client\" does not listen; remove [waku] listen or --waku-listen (\(listen))")
            }
            settings.waku.listen = nil
        case "service" where listen == nil && mode == .system:
            throw Invalid(description: "waku mode \"service\" needs a listen address: set [waku] listen or --waku-listen")
        default:
            settings.waku.listen = listen ?? (mode == .dev ? "127.0.0.1:60000" : nil)
        }
        settings.waku.bootstrap = config.wakuBootstrap ?? (mode == .dev ? [] : nil)
        if let listen = settings.waku.listen, WakuSettings.hostAndPort(listen) == nil {
            throw Invalid(description: "waku listen address must be host:port (e.g. 0.0.0.0:60000), not \"\(listen)\"")
        }
        return settings
    }

    /// Removes `.` and empty components and resolves `..` lexically (no symlinks: nothing is read).
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(component)
        }
        return "/" + parts.joined(separator: "/")
    }
}

/// How the network role runs its Waku node.
public struct WakuSettings: Sendable, Equatable, Codable {
    /// "host:port" to serve on (service mode: relay, lightpush, filter, store); nil means client mode.
    public var listen: String?
    /// Multiaddrs to connect to; nil means The Waku Network's default fleet.
    public var bootstrap: [String]?

    public init(listen: String? = nil, bootstrap: [String]? = nil) {
        self.listen = listen
        self.bootstrap = bootstrap
    }

    /// Splits "host:port" ("[::1]:60000" for IPv6).
    public static func hostAndPort(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }
}
