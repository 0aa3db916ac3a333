/// One alert as stored and served (`GET /v1/alerts`, `nimbus alerts --json`).
public struct StoredAlert: Sendable, Equatable, Codable {
    public var id: Int64
    public var kind: String
    public var subject: String
    public var severity: String
    public var title: String
    public var diagnosis: String
    public var action: String
    public var firedAtMillis: Int64
    public var resolvedAtMillis: Int64?
    public var acknowledgedAtMillis: Int64?
    /// False when the alert re-fired within the cooldown and no notification was sent for it.
    public var notified: Bool

    enum CodingKeys: String, CodingKey {
        case id, kind, subject, severity, title, diagnosis, action, notified
        case firedAtMillis = "fired_at_millis"
        case resolvedAtMillis = "resolved_at_millis"
        case acknowledgedAtMillis = "acknowledged_at_millis"
    }

    public init(
        id: Int64, kind: String, subject: String, severity: String, title: String, diagnosis: String, action: String,
        firedAtMillis: Int64, resolvedAtMillis: Int64?, acknowledgedAtMillis: Int64?, notified: Bool
    ) {
        self.id = id
        self.kind = kind
        self.subject = subject
        self.severity = severity
        self.title = title
        self.diagnosis = diagnosis
        self.action = action
        self.firedAtMillis = firedAtMillis
        self.resolvedAtMillis = resolvedAtMillis
        self.acknowledgedAtMillis = acknowledgedAtMillis
        self.notified = notified
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(subject, forKey: .subject)
        try container.encode(severity, forKey: .severity)
        try container.encode(title, forKey: .title)
        try container.encode(diagnosis, forKey: .diagnosis)
        try container.encode(action, forKey: .action)
        try container.encode(firedAtMillis, forKey: .firedAtMillis)
        try container.encode(resolvedAtMillis, forKey: .resolvedAtMillis)
        try container.encode(acknowledgedAtMillis, forKey: .acknowledgedAtMillis)
        try container.encode(notified, forKey: .notified)
    }

}
