/// Every alert the node manager raises, with how sure it must be before raising it and what it tells the staker.
/// The raw values are a stable interface (`nimbus alerts --json`, the GUI).
public enum AlertKind: String, Sendable, CaseIterable, Codable {
    case nodeUnreachable = "node_unreachable"
    case notSynced = "not_synced"
    case elOffline = "el_offline"
    case optimistic = "optimistic"
    case peersLow = "peers_low"
    case attestationsMissed = "attestations_missed"
    case proposalMissed = "proposal_missed"
    case balanceDecreasing = "balance_decreasing"
    case diskLow = "disk_low"
    case diskCritical = "disk_critical"
    case clockDrift = "clock_drift"
    case versionBehind = "version_behind"
    case nodeRestarting = "node_restarting"
    case doppelgangerExit = "doppelganger_exit"

    public enum Severity: String, Sendable, Codable, Comparable {
        case info, warning, critical

        private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var severity: Severity {
        switch self {
        case .nodeUnreachable, .elOffline, .proposalMissed, .diskCritical, .doppelgangerExit: .critical
        case .versionBehind: .info
        default: .warning
        }
    }

    /// Consecutive bad samples before the alert fires (epochs for per-epoch rules, polls otherwise). Anti-fatigue:
    /// one missed attestation or one slow poll is not worth a notification.
    public var fireAfter: Int {
        switch self {
        case .proposalMissed, .doppelgangerExit, .versionBehind, .nodeRestarting: 1
        case .attestationsMissed, .diskLow, .diskCritical: 2
        case .nodeUnreachable, .elOffline, .clockDrift, .balanceDecreasing: 3
        case .notSynced, .optimistic, .peersLow: 5
        }
    }

    /// Consecutive good samples before a firing alert resolves (hysteresis against flapping).
    public var resolveAfter: Int {
        switch self {
        case .diskLow, .diskCritical, .peersLow, .notSynced: 3
        default: 1
        }
    }

    /// True when samples are counted once per epoch rather than once per poll.
    public var perEpoch: Bool { self == .attestationsMissed || self == .balanceDecreasing }

    /// A short title.
    public var title: String {
        switch self {
        case .nodeUnreachable: "Beacon node unreachable"
        case .notSynced: "Beacon node not in sync"
        case .elOffline: "Execution client offline"
        case .optimistic: "Beacon node running optimistically"
        case .peersLow: "Few peers"
        case .attestationsMissed: "Attestations missed"
        case .proposalMissed: "Block proposal missed"
        case .balanceDecreasing: "Validator balance decreasing"
        case .diskLow: "Disk space low"
        case .diskCritical: "Disk almost full"
        case .clockDrift: "System clock not synchronised"
        case .versionBehind: "Nimbus update available"
        case .nodeRestarting: "Beacon node keeps restarting"
        case .doppelgangerExit: "Doppelganger detected: node stopped"
        }
    }

    /// What to do, in plain words.
    public var action: String {
        switch self {
        case .nodeUnreachable:
            "Check that nimbus_beacon_node is running and was started with --rest (and --metrics); its log says why "
                + "it stopped. If it runs under systemd: systemctl status nimbus_beacon_node, journalctl -u nimbus_beacon_node."
        case .notSynced:
            "Give it time if it just started; if the distance keeps growing, check the execution client, the peer "
                + "count and the disk, and look for errors in the Nimbus log."
        case .elOffline:
            "Check that the execution client (Geth, Nethermind, Besu, Erigon, Reth) is running and synced, that "
                + "--el points at its engine API (port 8551) and that both use the same JWT secret."
        case .optimistic:
            "The execution client is still syncing or lagging: validator duties are at risk until it catches up. "
                + "Check its sync status and log."
        case .peersLow:
            "Check that the node's P2P port (9000 TCP and UDP by default) is forwarded and not firewalled, and that "
                + "the machine's network connection is stable."
        case .attestationsMissed:
            "Check that the node is synced, has peers and a working execution client, and that the system clock "
                + "is synchronised; missed attestations cost a small penalty each epoch."
        case .proposalMissed:
            "Look in the Nimbus log around the proposal slot for the reason (execution client errors, late block). "
                + "Check the execution client and the builder or relay configuration if one is used."
        case .balanceDecreasing:
            "The validators are losing balance: check attestation performance and the node's health; if the node "
                + "is healthy, check whether the validators are expected to be active."
        case .diskLow:
            "Free disk space soon: prune the execution client's database, remove old logs or era files, or move the "
                + "data to a larger disk. A full disk stops the node."
        case .diskCritical:
            "Free disk space now: the node will stop and miss duties when the disk is full."
        case .clockDrift:
            "Enable time synchronisation (timedatectl set-ntp true, or chrony/systemd-timesyncd): validator duties "
                + "depend on an accurate clock."
        case .versionBehind:
            "A newer Nimbus release is available; upgrade within the release's urgency window."
        case .nodeRestarting:
            "The node restarted several times recently: look in its log for crashes, and check memory, disk and "
                + "the execution client."
        case .doppelgangerExit:
            "Nimbus stopped because the same validator key appears to be active elsewhere. Do not restart it until "
                + "you have made sure the keys run on no other machine: running them twice gets them slashed."
        }
    }
}
