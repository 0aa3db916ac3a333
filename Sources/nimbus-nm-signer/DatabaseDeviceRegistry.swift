import Foundation
import GRDB
import NimbusSignerKeys
import NimbusStore

/// Paired devices in the signer's database (table `devices`): the pinned keys the signer will seal secrets to.
struct DatabaseDeviceRegistry: DeviceRegistry {
    let database: RoleDatabase

    func add(name: String, staticKey: [UInt8], atMillis: Int64) throws -> StoredDevice {
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO devices (name, static_key, paired_at_millis) VALUES (?, ?, ?)",
                arguments: [name, Data(staticKey), atMillis])
            return StoredDevice(id: db.lastInsertedRowID, name: name, staticKey: staticKey, pairedAtMillis: atMillis,
                                revokedAtMillis: nil)
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
        StoredDevice(id: row["id"], name: row["name"], staticKey: [UInt8](row["static_key"] as Data),
                     pairedAtMillis: row["paired_at_millis"], revokedAtMillis: row["revoked_at_millis"])
    }
}
