/// `GET /v1/alerts` and `nimbus alerts --json`: active alerts and those resolved in the last 24 hours (newest
/// first), and the notifications this machine's CLI has not acknowledged.
public struct AlertsReport: Sendable, Equatable, Codable {
    public var alerts: [StoredAlert]
    public var pending: [PendingNotification]

    public init(alerts: [StoredAlert], pending: [PendingNotification]) {
        self.alerts = alerts
        self.pending = pending
    }
}

/// One unacknowledged notification in a device's outbox.
public struct PendingNotification: Sendable, Equatable, Codable {
    /// `fired` or `resolved` (the "back to normal" notice).
    public var event: String
    public var alertID: Int64

    enum CodingKeys: String, CodingKey {
        case event
        case alertID = "alert_id"
    }

    public init(event: String, alertID: Int64) {
        self.event = event
        self.alertID = alertID
    }
}

/// `GET /v1/nodes` and `nimbus nodes --json`.
public struct NodesReport: Sendable, Equatable, Codable {
    public var nodes: [NodeSnapshot]

    public init(nodes: [NodeSnapshot]) {
        self.nodes = nodes
    }
}
