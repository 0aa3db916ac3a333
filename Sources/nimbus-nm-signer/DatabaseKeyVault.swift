import Foundation
import GRDB
import NimbusSignerKeys
import NimbusStore

/// The signer's keystores in its SQLite database (table `keystores`: encrypted EIP-2335 JSON and public facts).
struct DatabaseKeyVault: KeyVault {
    let database: RoleDatabase

    func list() throws -> [StoredKey] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM keystores ORDER BY created_at_millis, path, pubkey").map(Self.key)
        }
    }

    func key(pubkey: [UInt8]) throws -> StoredKey? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM keystores WHERE pubkey = ?", arguments: [Data(pubkey)]).map(Self.key)
        }
    }

    func insert(_ keys: [StoredKey]) throws -> [[UInt8]] {
        try database.write { db in
            var already: [[UInt8]] = []
            for key in keys {
                try db.execute(
                    sql: """
                        INSERT INTO keystores (pubkey, path, keystore_json, created_at_millis, source)
                        VALUES (?, ?, ?, ?, ?) ON CONFLICT (pubkey) DO NOTHING
                        """,
                    arguments: [Data(key.pubkey), key.path, key.keystoreJSON, key.createdAtMillis, key.source])
                if db.changesCount == 0 { already.append(key.pubkey) }
            }
            return already
        }
    }

    func delete(pubkey: [UInt8]) throws -> Bool {
        try database.write { db in
            try db.execute(sql: "DELETE FROM keystores WHERE pubkey = ?", arguments: [Data(pubkey)])
            return db.changesCount > 0
        }
    }

    private static func key(_ row: Row) -> StoredKey {
        StoredKey(
            pubkey: [UInt8](row["pubkey"] as Data), path: row["path"], keystoreJSON: row["keystore_json"],
            source: row["source"], createdAtMillis: row["created_at_millis"])
    }
}
