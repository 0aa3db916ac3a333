import TOMLKit

/// The node manager's configuration file (`--config`, TOML). Every key is optional; `docs/configuration.md`
/// lists each with its default. Unknown keys are errors: a typo must not silently leave a default in place.
public struct NodeManagerConfig: Sendable, Equatable {
    /// Where the roles keep their state (system mode default `/var/lib/nimbus-node-manager`).
    public var dataDir: String?
    /// The control socket the CLI talks to.
    public var controlSocket: String?
    /// The group allowed to use the control socket in system mode.
    public var controlGroup: String?
    /// Directory of the seccomp policy files.
    public var policyDir: String?
    /// `trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`.
    public var logLevel: String?
    /// Report forbidden syscalls instead of killing the role (development only).
    public var seccompDebug: Bool?
    /// How long a graceful shutdown may take before roles are killed.
    public var shutdownTimeoutSeconds: Int?
    /// The users the unprivileged roles run as.
    public var networkUser: String?
    public var signerUser: String?
    /// The Nimbus nodes to monitor (`[[nodes]]`); empty means "find a local Nimbus on the default ports".
    public var nodes: [ManagedNode] = []
    /// `[waku] listen`: serve relay, lightpush, filter and store on this address ("host:port"); service mode.
    public var wakuListen: String?
    /// `[waku] mode`: `client` (never listens, even in dev mode) or `service` (listens); nil follows `listen`.
    public var wakuMode: String?
    /// `[waku] bootstrap`: multiaddrs of the service nodes to connect to (default: The Waku Network's fleet).
    public var wakuBootstrap: [String]?
    /// `[keys] withdrawal_address`: when set, the signer only makes deposits withdrawing to this execution address.
    public var keysWithdrawalAddress: String?
    /// `[releases] url`: where to learn the latest Nimbus release ("" turns release tracking off).
    public var releasesURL: String?
    /// `[releases] poll_seconds`: how often to ask.
    public var releasesPollSeconds: Int?
    /// `[releases] ca_file`: certificates to trust for an https:// source instead of the system's (a mirror with
    /// its own CA; tests).
    public var releasesCAFile: String?
    /// `[monitoring] restart_window_seconds`: the window in which three node restarts raise `node_restarting`.
    public var restartWindowSeconds: Int?
    /// `[monitoring] host_poll_seconds`: how often disks and the clock are observed.
    public var hostPollSeconds: Int?

    public init() {}

    /// Why a configuration file was refused: the file, the place, and what is wrong.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Parses TOML text. `source` names the file in error messages.
    public init(toml text: String, source: String) throws(Invalid) {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw Invalid("\(source):\(error.source.begin.line):\(error.source.begin.column): \(error.description)")
        } catch {
            throw Invalid("\(source): \(error)")
        }
        var reader = TableReader(table: table, path: "", source: source)
        dataDir = try reader.string("data_dir")
        controlSocket = try reader.string("control_socket")
        controlGroup = try reader.string("control_group")
        policyDir = try reader.string("policy_dir")
        logLevel = try reader.string("log_level")
        if let level = logLevel, !Self.logLevels.contains(level) {
            throw Invalid("\(source): log_level must be one of \(Self.logLevels.joined(separator: ", ")), not \"\(level)\"")
        }
        seccompDebug = try reader.bool("seccomp_debug")
        shutdownTimeoutSeconds = try reader.int("shutdown_timeout_seconds")
        if let seconds = shutdownTimeoutSeconds, !(1...600).contains(seconds) {
            throw Invalid("\(source): shutdown_timeout_seconds must be between 1 and 600, not \(seconds)")
        }
        if var users = try reader.table("users") {
            networkUser = try users.string("network")
            signerUser = try users.string("signer")
            try users.rejectUnknown()
        }
        if var waku = try reader.table("waku") {
            wakuListen = try waku.string("listen")
            wakuMode = try waku.string("mode")
            if let mode = wakuMode, mode != "client" && mode != "service" {
                throw Invalid("\(source): [waku] mode must be \"client\" or \"service\", not \"\(mode)\"")
            }
            wakuBootstrap = try waku.strings("bootstrap")
            try waku.rejectUnknown()
        }
        if var keys = try reader.table("keys") {
            keysWithdrawalAddress = try keys.string("withdrawal_address")
            try keys.rejectUnknown()
        }
        if var releases = try reader.table("releases") {
            releasesURL = try releases.string("url")
            if let url = releasesURL, !url.isEmpty, WebURL(url) == nil {
                throw Invalid("\(source): [releases] url must be an http:// or https:// URL (or \"\" for none), not \"\(url)\"")
            }
            releasesCAFile = try releases.string("ca_file")
            if let file = releasesCAFile, !file.hasPrefix("/") {
                throw Invalid("\(source): [releases] ca_file must be an absolute path, not \"\(file)\"")
            }
            releasesPollSeconds = try releases.int("poll_seconds")
            if let seconds = releasesPollSeconds, !MonitoringSettings.releasePollRange.contains(seconds) {
                let range = MonitoringSettings.releasePollRange
                throw Invalid("\(source): [releases] poll_seconds must be between \(range.lowerBound) and \(range.upperBound), not \(seconds)")
            }
            try releases.rejectUnknown()
        }
        if var monitoring = try reader.table("monitoring") {
            restartWindowSeconds = try monitoring.int("restart_window_seconds")
            if let seconds = restartWindowSeconds, !MonitoringSettings.restartWindowRange.contains(seconds) {
                let range = MonitoringSettings.restartWindowRange
                throw Invalid(
                    "\(source): [monitoring] restart_window_seconds must be between \(range.lowerBound) and \(range.upperBound), not \(seconds)")
            }
            hostPollSeconds = try monitoring.int("host_poll_seconds")
            if let seconds = hostPollSeconds, !MonitoringSettings.hostPollRange.contains(seconds) {
                let range = MonitoringSettings.hostPollRange
                throw Invalid(
                    "\(source): [monitoring] host_poll_seconds must be between \(range.lowerBound) and \(range.upperBound), not \(seconds)")
            }
            try monitoring.rejectUnknown()
        }
        if let entries = try reader.tables("nodes") {
            for var entry in entries {
                nodes.append(try ManagedNode(reading: &entry))
                try entry.rejectUnknown()
            }
            let names = nodes.map(\.name)
            if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
                throw Invalid("\(source): two [[nodes]] are named \"\(duplicate)\"")
            }
        }
        try reader.rejectUnknown()
    }
}

/// Reads typed keys from a table and remembers which it read, so that the rest can be reported as unknown.
struct TableReader {
    let table: TOMLTable
    let path: String
    let source: String
    private var seen: Set<String> = []

    init(table: TOMLTable, path: String, source: String) {
        self.table = table
        self.path = path
        self.source = source
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    mutating func string(_ key: String) throws(NodeManagerConfig.Invalid) -> String? {
        seen.insert(key)
        guard let value = table[key] else { return nil }
        guard let string = value.string else { throw wrongType(key, "a string") }
        return string
    }

    mutating func bool(_ key: String) throws(NodeManagerConfig.Invalid) -> Bool? {
        seen.insert(key)
        guard let value = table[key] else { return nil }
        guard let bool = value.bool else { throw wrongType(key, "true or false") }
        return bool
    }

    mutating func int(_ key: String) throws(NodeManagerConfig.Invalid) -> Int? {
        seen.insert(key)
        guard let value = table[key] else { return nil }
        guard let int = value.int else { throw wrongType(key, "an integer") }
        return int
    }

    mutating func table(_ key: String) throws(NodeManagerConfig.Invalid) -> TableReader? {
        seen.insert(key)
        guard let value = table[key] else { return nil }
        guard let nested = value.table else { throw wrongType(key, "a table") }
        return TableReader(table: nested, path: name(key), source: source)
    }

    /// An array of strings.
    mutating func strings(_ key: String) throws(NodeManagerConfig.Invalid) -> [String]? {
        seen.insert(key)
        guard let value = table[key] else { return nil }
        guard let array = value.array else { throw wrongType(key, "an array of strings") }
        var strings: [String] = []
        for element in array {
            guard let string = element.string else { throw wrongType(key, "an array of strings") }
            strings.append(string)
        }
        return strings
    }

    /// An array of tables (`[[key]]`), each as a reader.
    mutating func tables(_ key: String) throws(NodeManagerConfig.Invalid) -> [TableReader]? {
        seen.insert(key)
        guard let value = table[key] else { return nil }
        guard let array = value.array else { throw wrongType(key, "an array of tables ([[\(key)]])") }
        var readers: [TableReader] = []
        for (index, element) in array.enumerated() {
            guard let nested = element.table else { throw wrongType(key, "an array of tables ([[\(key)]])") }
            readers.append(TableReader(table: nested, path: "\(name(key))[\(index)]", source: source))
        }
        return readers
    }

    func rejectUnknown() throws(NodeManagerConfig.Invalid) {
        if let unknown = table.keys.sorted().first(where: { !seen.contains($0) }) {
            throw NodeManagerConfig.Invalid("\(source): unknown key \"\(name(unknown))\"")
        }
    }

    private func wrongType(_ key: String, _ expected: String) -> NodeManagerConfig.Invalid {
        NodeManagerConfig.Invalid("\(source): \(name(key)) must be \(expected)")
    }
}
