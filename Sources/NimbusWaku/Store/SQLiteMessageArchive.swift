import Foundation
import GRDB

/// A `MessageArchive` in SQLite through GRDB, for the service role's store (13/WAKU2-STORE): one table keyed by
/// message hash, indexed by (time, hash) for pagination. Retention is bounded by `prune`, which the node calls
/// periodically with its configured age and count.
public final class SQLiteMessageArchive: MessageArchive {
    private let writer: any DatabaseWriter

    /// An archive in the database `writer` opens (the network role passes its own database); the table is
    /// created if missing.
    public init(writer: any DatabaseWriter) throws {
        self.writer = writer
        try writer.write { try Self.createSchema($0) }
    }

    /// An archive in the SQLite file at `path` (WAL mode), or in memory for `":memory:"`.
    public convenience init(path: String) throws {
        if path == ":memory:" {
            try self.init(writer: DatabaseQueue())
        } else {
            try self.init(writer: DatabasePool(path: path))
        }
    }

    /// Creates the table and indices if they do not exist (idempotent, so it may also run from a role's own
    /// migrations).
    public static func createSchema(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS waku_messages (
                    hash BLOB PRIMARY KEY NOT NULL CHECK (length(hash) = 32),
                    pubsub_topic TEXT NOT NULL,
                    content_topic TEXT NOT NULL,
                    time INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    message BLOB NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS waku_messages_order ON waku_messages (time, hash);
                CREATE INDEX IF NOT EXISTS waku_messages_topics ON waku_messages (pubsub_topic, content_topic, time);
                CREATE INDEX IF NOT EXISTS waku_messages_received ON waku_messages (received_at);
                """)
    }

    /// Stores a message unless its hash is already stored.
    public func insert(_ entry: ArchivedMessage) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO waku_messages (hash, pubsub_topic, content_topic, time, received_at, message)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    Data(entry.hash.bytes), entry.pubsubTopic, entry.message.contentTopic, entry.time,
                    entry.receivedAt, Data(entry.message.encoded()),
                ])
            return db.changesCount == 1
        }
    }

    /// The sort key of a stored message.
    public func sortKey(of hash: WakuMessageHash) throws -> StoreSortKey? {
        try writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT time FROM waku_messages WHERE hash = ?", arguments: [Data(hash.bytes)])
                .map { StoreSortKey(time: $0, hash: hash) }
        }
    }

    /// Matching messages after the cursor, in traversal order.
    public func select(_ criteria: StoreCriteria, after cursor: StoreSortKey?, forward: Bool, limit: Int) throws
        -> [ArchivedMessage]
    {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if !criteria.messageHashes.isEmpty {
            conditions.append(
                "hash IN (\(Array(repeating: "?", count: criteria.messageHashes.count).joined(separator: ",")))")
            arguments += criteria.messageHashes.sorted().map { Data($0.bytes) }
        } else {
            if let topic = criteria.pubsubTopic {
                conditions.append("pubsub_topic = ?")
                arguments.append(topic)
            }
            if !criteria.contentTopics.isEmpty {
                let placeholders = Array(repeating: "?", count: criteria.contentTopics.count).joined(separator: ",")
                conditions.append("content_topic IN (\(placeholders))")
                arguments += criteria.contentTopics.sorted()
            }
            if let start = criteria.timeStart {
                conditions.append("time >= ?")
                arguments.append(start)
            }
            if let end = criteria.timeEnd {
                conditions.append("time <= ?")
                arguments.append(end)
            }
        }
        if let cursor {
            let comparison = forward ? ">" : "<"
            conditions.append("(time \(comparison) ? OR (time = ? AND hash \(comparison) ?))")
            arguments += [cursor.time, cursor.time, Data(cursor.hash.bytes)]
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let order = forward ? "ASC" : "DESC"
        let sql = """
            SELECT pubsub_topic, received_at, message FROM waku_messages \(whereClause)
            ORDER BY time \(order), hash \(order) LIMIT ?
            """
        arguments.append(limit)
        let rows = try writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
        }
        return try rows.map { row in
            let bytes: Data = row["message"]
            let message = try WakuMessage(decoding: [UInt8](bytes))
            return ArchivedMessage(pubsubTopic: row["pubsub_topic"], message: message, receivedAt: row["received_at"])
        }
    }

    /// Deletes old messages, then the oldest beyond `maxCount`.
    public func prune(receivedBefore: Int64, maxCount: Int) throws -> Int {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM waku_messages WHERE received_at < ?", arguments: [receivedBefore])
            var deleted = db.changesCount
            let remaining = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM waku_messages") ?? 0
            if remaining > maxCount {
                try db.execute(
                    sql: """
                        DELETE FROM waku_messages WHERE hash IN (
                            SELECT hash FROM waku_messages ORDER BY received_at ASC, hash ASC LIMIT ?)
                        """,
                    arguments: [remaining - maxCount])
                deleted += db.changesCount
            }
            return deleted
        }
    }

    /// The number of stored messages.
    public func count() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM waku_messages") ?? 0 }
    }
}
