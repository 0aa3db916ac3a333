import GRDB
import NimbusMonitoring
import NimbusAPI
import NimbusStore

extension StoredAlert {
    init(row: Row) {
        self.init(
            id: row["id"], kind: row["kind"], subject: row["subject"], severity: row["severity"], title: row["title"],
            diagnosis: row["diagnosis"], action: row["action"], firedAtMillis: row["fired_at_millis"],
            resolvedAtMillis: row["resolved_at_millis"], acknowledgedAtMillis: row["acknowledged_at_millis"],
            notified: row["notified"])
    }
}

/// Alerts and the per-device outbox in the network role's database. Every fired or resolved event that is to be
/// notified gets one outbox row per device; a row stays until that device acknowledges it.
public struct AlertStore: Sendable {
    let database: RoleDatabase

    public init(database: RoleDatabase) {
        self.database = database
    }

    /// Active alerts, to restore the engine after a restart of the role.
    public func active() throws(StoreError) -> [Alert] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alerts WHERE resolved_at_millis IS NULL").compactMap { row in
                guard let kind = AlertKind(rawValue: row["kind"]) else { return nil }
                return Alert(kind: kind, subject: row["subject"], diagnosis: row["diagnosis"],
                             firedAtMillis: UInt64(row["fired_at_millis"] as Int64))
            }
        }
    }

    /// Records what the engine decided.
    public func record(_ events: [AlertEvent]) throws(StoreError) {
        guard !events.isEmpty else { return }
        try database.write { db in
            for event in events {
                switch event {
                case let .fired(alert, notify):
                    try db.execute(
                        sql: """
                            INSERT INTO alerts (kind, subject, severity, title, diagnosis, action, fired_at_millis, notified)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [alert.kind.rawValue, alert.subject, alert.severity.rawValue, alert.title,
                                    alert.diagnosis, alert.action, Int64(alert.firedAtMillis), notify])
                    if notify { try enqueue(db, alertID: db.lastInsertedRowID, event: "fired", at: alert.firedAtMillis) }
                case let .resolved(alert, at, notify):
                    guard let id = try Int64.fetchOne(
                        db, sql: "SELECT id FROM alerts WHERE kind = ? AND subject = ? AND resolved_at_millis IS NULL",
                        arguments: [alert.kind.rawValue, alert.subject])
                    else { continue }
                    try db.execute(sql: "UPDATE alerts SET resolved_at_millis = ? WHERE id = ?", arguments: [Int64(at), id])
                    if notify { try enqueue(db, alertID: id, event: "resolved", at: at) }
                }
            }
        }
    }

    private func enqueue(_ db: Database, alertID: Int64, event: String, at: UInt64) throws {
        try db.execute(
            sql: """
                INSERT INTO outbox (device_id, alert_id, event, created_at_millis)
                SELECT id, ?, ?, ? FROM devices WHERE revoked_at_millis IS NULL
                """,
            arguments: [alertID, event, Int64(at)])
    }

    /// Active alerts and those resolved within `recentMillis`, newest first.
    public func list(nowMillis: UInt64, recentMillis: UInt64 = 24 * 3600 * 1000) throws(StoreError) -> [StoredAlert] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM alerts WHERE resolved_at_millis IS NULL OR resolved_at_millis >= ?
                    ORDER BY resolved_at_millis IS NOT NULL, fired_at_millis DESC, id DESC LIMIT 500
                    """,
                arguments: [Int64(nowMillis) - Int64(recentMillis)]
            ).map(StoredAlert.init(row:))
        }
    }

    /// Acknowledges an alert for `device` (its outbox rows) and marks the alert acknowledged. Nil if no such alert.
    public func acknowledge(_ id: Int64, device: String, nowMillis: UInt64) throws(StoreError) -> StoredAlert? {
        try database.write { db in
            guard try Int64.fetchOne(db, sql: "SELECT id FROM alerts WHERE id = ?", arguments: [id]) != nil else {
                return nil
            }
            try db.execute(
                sql: "UPDATE alerts SET acknowledged_at_millis = coalesce(acknowledged_at_millis, ?) WHERE id = ?",
                arguments: [Int64(nowMillis), id])
            try db.execute(
                sql: """
                    UPDATE outbox SET acknowledged_at_millis = ?
                    WHERE alert_id = ? AND device_id = ? AND acknowledged_at_millis IS NULL
                    """,
                arguments: [Int64(nowMillis), id, device])
            return try Row.fetchOne(db, sql: "SELECT * FROM alerts WHERE id = ?", arguments: [id]).map(StoredAlert.init(row:))
        }
    }

    /// Notifications a device has not acknowledged, oldest first.
    public func pending(device: String) throws(StoreError) -> [(event: String, alert: StoredAlert)] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT outbox.event AS outbox_event, alerts.* FROM outbox JOIN alerts ON alerts.id = outbox.alert_id
                    WHERE outbox.device_id = ? AND outbox.acknowledged_at_millis IS NULL ORDER BY outbox.id
                    """,
                arguments: [device]
            ).map { row in (row["outbox_event"], StoredAlert(row: row)) }
        }
    }
}
