/// The latest state of a managed node, as `GET /v1/nodes` and `nimbus nodes --json` show it.
public struct NodeSnapshot: Sendable, Equatable, Codable {
    public var name: String
    public var rest: String
    /// False until the node answered once, for a node found without configuration.
    public var found: Bool
    public var reachable: Bool
    public var error: String?
    public var headSlot: UInt64?
    public var syncDistance: UInt64?
    public var isSyncing: Bool?
    public var isOptimistic: Bool?
    public var elOffline: Bool?
    public var peers: Int?
    public var version: String?
    public var validators: Int?
    public var lastPollMillis: UInt64?
    /// The node's process when the node manager runs it (`[nodes.launch]`); null otherwise.
    public var process: NodeProcessReport?

    enum CodingKeys: String, CodingKey {
        case name, rest, found, reachable, error, peers, version, validators, process
        case headSlot = "head_slot"
        case syncDistance = "sync_distance"
        case isSyncing = "is_syncing"
        case isOptimistic = "is_optimistic"
        case elOffline = "el_offline"
        case lastPollMillis = "last_poll_millis"
    }

    public init(name: String, rest: String) {
        self.name = name
        self.rest = rest
        found = false
        reachable = false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(rest, forKey: .rest)
        try c.encode(found, forKey: .found)
        try c.encode(reachable, forKey: .reachable)
        try c.encode(error, forKey: .error)
        try c.encode(headSlot, forKey: .headSlot)
        try c.encode(syncDistance, forKey: .syncDistance)
        try c.encode(isSyncing, forKey: .isSyncing)
        try c.encode(isOptimistic, forKey: .isOptimistic)
        try c.encode(elOffline, forKey: .elOffline)
        try c.encode(peers, forKey: .peers)
        try c.encode(version, forKey: .version)
        try c.encode(validators, forKey: .validators)
        try c.encode(lastPollMillis, forKey: .lastPollMillis)
        try c.encode(process, forKey: .process)
    }
}
