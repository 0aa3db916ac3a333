import Foundation
import GRDB
import NimbusSignerKeys
import NimbusStore

/// Paired devices in the signer's database (table `devices`): the pinned keys the signer will seal secrets to.
struct DatabaseDeviceRegistry: DeviceRegistry {
    let database: RoleDatabase

    func add(name: String, staticKey: [UInt8], atMillis: Int64, method: String) throws -> StoredDevice {
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO devices (name, static_key, paired_at_millis, method) VALUES (?, ?, ?, ?)",
                arguments: [name, Data(staticKey), atMillis, method])
            var device = StoredDevice(
                id: db.lastInsertedRowID, name: name, staticKey: staticKey, pairedAtMillis: atMillis, revokedAtMillis: nil)
            device.method = method
            return device
        }
    }

    /// The active device holding `staticKey`, if any: pairing the same device again keeps its id.
    func active(staticKey: [UInt8]) throws -> StoredDevice? {
        try database.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM devices WHERE static_key = ? AND revoked_at_millis IS NULL ORDER BY id LIMIT 1",
                arguments: [Data(staticKey)]
            ).map(Self.device)
        }
    }

    func list() throws -> [StoredDevice] {
        try database.read { db in try Row.fetchAll(db, sql: "SELECT * FROM devices ORDER BY id").map(Self.device) }
    }

    func revoke(id: Int64, atMillis: Int64) throws -> StoredDevice? {
        try database.write { db in
            try db.execute(
                sql: "UPDATE devices SET revoked_at_millis = coalesce(revoked_at_millis, ?) WHERE id = ?",
                arguments: [atMillis, id])
            return try Row.fetchOne(db, sql: "SELECT * FROM devices WHERE id = ?", arguments: [id]).map(Self.device)
        }
    }

    private static func device(_ row: Row) -> StoredDevice {
        var device = StoredDevice(
            id: row["id"], name: row["name"], staticKey: [UInt8](row["static_key"] as Data),
            pairedAtMillis: row["paired_at_millis"], revokedAtMillis: row["revoked_at_millis"])
        device.method = row["method"]
        return device
    }
}
