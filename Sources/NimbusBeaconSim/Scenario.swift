/// The faults and conditions a test imposes on the simulated node (flags at start, control endpoint later).
public struct Scenario: Sendable, Equatable, Codable {
    /// Seconds from process start until the node has "loaded its database" and serves REST and metrics.
    public var startupDelay: Double = 0
    /// The execution client does not answer: `el_offline`, optimistic head, no duties, engine API time-outs.
    public var elOffline: Bool = false
    /// Connected peers. At 0 the head stops advancing (no blocks arrive) and the node falls behind.
    public var peers: Int = 80
    /// Slots the head is held behind the wall clock ("sync falling behind"); above 1 the node reports syncing.
    public var syncLag: UInt64 = 0
    /// Unix time at which the process crashes (exits with `crashExitCode`), if any.
    public var crashAt: Double?
    /// Exit status of a simulated crash.
    public var crashExitCode: Int32 = 1
    /// A broken version: the node starts and serves, but its head never moves, so it stays syncing for ever.
    public var unhealthy: Bool = false
    /// Fraction of attestations (0...1) that are missed although the node is healthy (deterministic per duty).
    public var missedAttestationRate: Double = 0
    /// Fraction of proposals (0...1) whose block production fails although the node is healthy, as when the
    /// execution client cannot build a payload in time (deterministic per duty).
    public var missedProposalRate: Double = 0
    /// Another instance signs with the same keys: detection (if enabled) exits with status 129.
    public var doppelganger: Bool = false

    /// The default scenario: nothing goes wrong.
    public init() {}

    private enum CodingKeys: String, CodingKey {
        case startupDelay = "startup_delay"
        case elOffline = "el_offline"
        case peers
        case syncLag = "sync_lag"
        case crashAt = "crash_at"
        case crashExitCode = "crash_exit_code"
        case unhealthy
        case missedAttestationRate = "missed_attestation_rate"
        case missedProposalRate = "missed_proposal_rate"
        case doppelganger
    }
}
