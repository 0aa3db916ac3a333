/// A Nimbus beacon node the node manager watches (`[[nodes]]` in the configuration file).
public struct ManagedNode: Sendable, Equatable, Codable {
    /// A short name for alerts and the CLI, e.g. "hoodi".
    public var name: String
    /// Base URL of the Beacon API (`--rest`), e.g. `http://127.0.0.1:5052`.
    public var rest: String
    /// Base URL of the metrics server (`--metrics`), e.g. `http://127.0.0.1:8008`.
    public var metrics: String?
    /// Base URL of the keymanager API; Nimbus serves it on the REST port when the addresses match.
    public var keymanager: String?
    /// The file holding the keymanager bearer token (Nimbus's `--keymanager-token-file`). The token itself is
    /// read by the network role and never leaves it.
    public var keymanagerTokenFile: String?
    /// Where the node keeps its data, for the disk-space alerts; "/" when not given.
    public var dataDir: String?
    /// Free space on the data directory's filesystem below which the disk counts as low (warning) or nearly full
    /// (critical); nil means the defaults (100 GiB or 10 %, 25 GiB or 3 %).
    public var diskLow: DiskFreeLimit?
    public var diskCritical: DiskFreeLimit?
    /// Present when the node manager starts and supervises the node itself (`[nodes.launch]`).
    public var launch: NodeLaunch?

    enum CodingKeys: String, CodingKey {
        case name, rest, metrics, keymanager
        case keymanagerTokenFile = "keymanager_token_file"
        case dataDir = "data_dir"
        case diskLow = "disk_low"
        case diskCritical = "disk_critical"
        case launch
    }

    public init(
        name: String, rest: String, metrics: String? = nil, keymanager: String? = nil,
        keymanagerTokenFile: String? = nil, dataDir: String? = nil
    ) {
        self.name = name
        self.rest = rest
        self.metrics = metrics
        self.keymanager = keymanager
        self.keymanagerTokenFile = keymanagerTokenFile
        self.dataDir = dataDir
    }

    /// The node looked for when the configuration names none: a local Nimbus on its default ports.
    public static let localDefault = ManagedNode(
        name: "local", rest: "http://127.0.0.1:5052", metrics: "http://127.0.0.1:8008")

    init(reading reader: inout TableReader) throws(NodeManagerConfig.Invalid) {
        let place = "\(reader.source): [[nodes]]"
        guard let name = try reader.string("name"), !name.isEmpty else {
            throw NodeManagerConfig.Invalid("\(place) needs a name")
        }
        guard name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
        else {
            throw NodeManagerConfig.Invalid("\(place) name \"\(name.prefix(64))\" may hold only letters, digits, - _ .")
        }
        guard let rest = try reader.string("rest") else {
            throw NodeManagerConfig.Invalid("\(place) \"\(name)\" needs rest (e.g. \"http://127.0.0.1:5052\")")
        }
        self.init(
            name: name, rest: rest, metrics: try reader.string("metrics"), keymanager: try reader.string("keymanager"),
            keymanagerTokenFile: try reader.string("keymanager_token_file"), dataDir: try reader.string("data_dir"))
        for (key, field) in [("disk_low", \ManagedNode.diskLow), ("disk_critical", \ManagedNode.diskCritical)] {
            guard let text = try reader.string(key) else { continue }
            guard let limit = DiskFreeLimit(text) else {
                throw NodeManagerConfig.Invalid(
                    "\(place) \"\(name)\": \(key) must be a size such as \"100 GiB\" or a share such as \"10%\", "
                        + "not \"\(text.prefix(40))\"")
            }
            self[keyPath: field] = limit
        }
        if diskLow != nil || diskCritical != nil, dataDir == nil {
            throw NodeManagerConfig.Invalid("\(place) \"\(name)\": disk_low and disk_critical need data_dir")
        }
        for (key, url) in [("rest", Optional(rest)), ("metrics", metrics), ("keymanager", keymanager)] {
            guard let url else { continue }
            guard HTTPURL(url) != nil else {
                throw NodeManagerConfig.Invalid(
                    "\(place) \"\(name)\": \(key) must be an http:// URL with a host and port, not \"\(url.prefix(100))\"")
            }
        }
        if var table = try reader.table("launch") {
            launch = try NodeLaunch(reading: &table, node: name)
            try table.rejectUnknown()
            guard let dataDir, dataDir.hasPrefix("/") else {
                throw NodeManagerConfig.Invalid(
                    "\(place) \"\(name)\": a launched node needs data_dir, an absolute path (--data-dir)")
            }
            if keymanager != nil, keymanagerTokenFile == nil {
                throw NodeManagerConfig.Invalid(
                    "\(place) \"\(name)\": a launched node with keymanager needs keymanager_token_file "
                        + "(Nimbus refuses --keymanager without --keymanager-token-file)")
            }
        }
    }
}

/// An `http://host:port[/path]` URL, the only form a managed node's endpoints take (loopback or LAN; TLS is not
/// offered by Nimbus's REST server).
public struct HTTPURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var basePath: String

    public init(host: String, port: Int, basePath: String) {
        self.host = host
        self.port = port
        self.basePath = basePath
    }

    public init?(_ text: String) {
        guard text.hasPrefix("http://") else { return nil }
        let rest = text.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        while path.hasSuffix("/") { path.removeLast() }
        let host: Substring
        let portText: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard after.hasPrefix(":") else { return nil }
            portText = after.dropFirst()
        } else {
            guard let colon = authority.lastIndex(of: ":") else { return nil }
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port) else { return nil }
        self.host = String(host)
        self.port = port
        basePath = path
    }
}
