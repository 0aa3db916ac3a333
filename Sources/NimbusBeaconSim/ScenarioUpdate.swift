/// A change to the scenario, as POSTed to the control endpoint: every field optional, absent means unchanged.
///
/// `crash_after` is relative (seconds from now) and is turned into `crash_at` when applied; `crash_at: null` cannot
/// be expressed, use `"cancel_crash": true`.
public struct ScenarioUpdate: Sendable, Equatable, Decodable {
    /// See `Scenario`; nil leaves it unchanged.
    public var startupDelay: Double?
    /// See `Scenario`; nil leaves it unchanged.
    public var elOffline: Bool?
    /// See `Scenario`; nil leaves it unchanged.
    public var peers: Int?
    /// See `Scenario`; nil leaves it unchanged.
    public var syncLag: UInt64?
    /// See `Scenario`; nil leaves it unchanged.
    public var crashAt: Double?
    /// See `Scenario`; nil leaves it unchanged.
    public var crashAfter: Double?
    /// See `Scenario`; nil leaves it unchanged.
    public var crashExitCode: Int32?
    /// See `Scenario`; nil leaves it unchanged.
    public var cancelCrash: Bool?
    /// See `Scenario`; nil leaves it unchanged.
    public var unhealthy: Bool?
    /// See `Scenario`; nil leaves it unchanged.
    public var missedAttestationRate: Double?
    /// See `Scenario`; nil leaves it unchanged.
    public var missedProposalRate: Double?
    /// See `Scenario`; nil leaves it unchanged.
    public var doppelganger: Bool?

    /// An empty update.
    public init() {}

    private enum CodingKeys: String, CodingKey {
        case startupDelay = "startup_delay"
        case elOffline = "el_offline"
        case peers
        case syncLag = "sync_lag"
        case crashAt = "crash_at"
        case crashAfter = "crash_after"
        case crashExitCode = "crash_exit_code"
        case cancelCrash = "cancel_crash"
        case unhealthy
        case missedAttestationRate = "missed_attestation_rate"
        case missedProposalRate = "missed_proposal_rate"
        case doppelganger
    }

    /// Why the update cannot be applied, or nil.
    public var problem: String? {
        if let peers, peers < 0 { return "peers must not be negative" }
        if let rate = missedAttestationRate, !(0...1).contains(rate) {
            return "missed_attestation_rate must be in 0...1"
        }
        if let rate = missedProposalRate, !(0...1).contains(rate) { return "missed_proposal_rate must be in 0...1" }
        if let delay = startupDelay, delay < 0 { return "startup_delay must not be negative" }
        if let after = crashAfter, after < 0 { return "crash_after must not be negative" }
        if crashAt != nil && crashAfter != nil { return "give crash_at or crash_after, not both" }
        return nil
    }

    /// `scenario` with this update applied at time `now`.
    public func applied(to scenario: Scenario, now: Double) -> Scenario {
        var result = scenario
        if let startupDelay { result.startupDelay = startupDelay }
        if let elOffline { result.elOffline = elOffline }
        if let peers { result.peers = peers }
        if let syncLag { result.syncLag = syncLag }
        if let crashAt { result.crashAt = crashAt }
        if let crashAfter { result.crashAt = now + crashAfter }
        if cancelCrash == true { result.crashAt = nil }
        if let crashExitCode { result.crashExitCode = crashExitCode }
        if let unhealthy { result.unhealthy = unhealthy }
        if let missedAttestationRate { result.missedAttestationRate = missedAttestationRate }
        if let missedProposalRate { result.missedProposalRate = missedProposalRate }
        if let doppelganger { result.doppelganger = doppelganger }
        return result
    }
}
