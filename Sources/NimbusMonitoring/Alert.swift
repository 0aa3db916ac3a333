/// A raised alert: what, about which subject (a node's name, or "host"), since when, and what to do.
public struct Alert: Sendable, Equatable, Codable {
    public var kind: AlertKind
    public var subject: String
    public var severity: AlertKind.Severity
    public var title: String
    /// What was seen, in words, when the alert fired.
    public var diagnosis: String
    public var action: String
    public var firedAtMillis: UInt64

    public init(kind: AlertKind, subject: String, diagnosis: String, firedAtMillis: UInt64) {
        self.kind = kind
        self.subject = subject
        severity = kind.severity
        title = kind.title
        self.diagnosis = diagnosis
        action = kind.action
        self.firedAtMillis = firedAtMillis
    }

    /// Identifies the alert's slot: at most one alert per kind and subject is active at a time.
    public var key: String { "\(kind.rawValue)/\(subject)" }
}

/// What the engine decided on one evaluation.
public enum AlertEvent: Sendable, Equatable {
    /// The alert starts. `notify` is false when it re-fires within the cooldown after resolving (flapping): it is
    /// recorded and shown, but no new notification is sent.
    case fired(Alert, notify: Bool)
    /// The alert ended: the "back to normal" notice.
    case resolved(Alert, atMillis: UInt64, notify: Bool)
}
