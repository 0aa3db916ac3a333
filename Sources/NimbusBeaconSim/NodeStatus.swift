/// The node as its APIs describe it at one instant.
public struct NodeStatus: Sendable, Equatable {
    /// Whether start-up is over (REST and metrics served).
    public var isReady: Bool
    /// The wall-clock slot.
    public var wallSlot: UInt64
    /// The head block's slot.
    public var headSlot: UInt64
    /// wallSlot - headSlot.
    public var syncDistance: UInt64
    /// Whether the sync manager is working (head more than one slot behind, or start-up not over).
    public var isSyncing: Bool
    /// Whether the head was imported without an execution client's verdict.
    public var isOptimistic: Bool
    /// Whether no execution client connection works.
    public var elOffline: Bool
    /// Connected peers.
    public var peers: Int
    /// Finalized checkpoint epoch.
    public var finalizedEpoch: UInt64
    /// Current justified checkpoint epoch.
    public var justifiedEpoch: UInt64
    /// Previous justified checkpoint epoch.
    public var previousJustifiedEpoch: UInt64
}
