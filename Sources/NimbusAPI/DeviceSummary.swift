/// `GET /v1/devices`: a paired device as the network role knows it (the signer holds the authoritative list; the
/// network role mirrors it to admit sessions and keep outboxes). Revoked devices stay listed with their time.
public struct DeviceSummary: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var pairedAt: String
    public var revokedAt: String?
    /// Notifications waiting in this device's outbox.
    public var pendingNotifications: Int

    enum CodingKeys: String, CodingKey {
        case id, name
        case pairedAt = "paired_at"
        case revokedAt = "revoked_at"
        case pendingNotifications = "pending_notifications"
    }

    public init(id: String, name: String, pairedAt: String, revokedAt: String?, pendingNotifications: Int) {
        self.id = id
        self.name = name
        self.pairedAt = pairedAt
        self.revokedAt = revokedAt
        self.pendingNotifications = pendingNotifications
    }

    public func encode(to encoder: any Encoder) throws {
        // Explicit nulls, as every report of this API: a field is always present.
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(pairedAt, forKey: .pairedAt)
        try container.encode(revokedAt, forKey: .revokedAt)
        try container.encode(pendingNotifications, forKey: .pendingNotifications)
    }
}
