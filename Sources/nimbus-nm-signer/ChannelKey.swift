import Crypto
import Foundation
import GRDB
import NimbusStore

/// The signer's X25519 key for keys channels (docs/keys-channel.md), made on first start and kept in its database
/// (table `channel_key`). Devices pin its public half at pairing; replacing it would strand every paired device's
/// channel, so it is never rotated implicitly.
enum ChannelKey {
    static func loadOrCreate(_ database: RoleDatabase) throws -> [UInt8] {
        try database.write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT private_key FROM channel_key WHERE id = 1") {
                return [UInt8](row["private_key"] as Data)
            }
            let key = Array(Curve25519.KeyAgreement.PrivateKey().rawRepresentation)
            try db.execute(
                sql: "INSERT INTO channel_key (id, private_key, created_at_millis) VALUES (1, ?, ?)",
                arguments: [Data(key), Int64(Date().timeIntervalSince1970 * 1000)])
            return key
        }
    }

    static func publicKey(_ privateKey: [UInt8]) throws -> [UInt8] {
        Array(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: privateKey).publicKey.rawRepresentation)
    }
}
