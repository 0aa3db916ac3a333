import Foundation
import GRDB

/// A role's SQLite database: WAL mode, migrated on open, in a directory only the role can enter.
public final class RoleDatabase: Sendable {
    /// The file inside the role's state directory.
    public let path: String
    private let pool: DatabasePool

    /// Number of migrations applied: the schema version reported over IPC.
    public let schemaVersion: Int

    /// Opens (creating if needed) `directory/file`, after checking that `directory` is a 0700 directory owned by
    /// the calling user, then applies `migrations`.
    public init(directory: String, file: String, migrations: [SchemaMigration]) throws(StoreError) {
        try Self.checkPrivate(directory)
        path = directory + "/" + file
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = file
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            var migrator = DatabaseMigrator()
            for migration in migrations {
                migrator.registerMigration(migration.identifier) { db in try db.execute(sql: migration.sql) }
            }
            try migrator.migrate(pool)
            schemaVersion = try pool.read { db in try migrator.appliedIdentifiers(db).count }
        } catch {
            throw StoreError("cannot open the database \(directory)/\(file): \(error)")
        }
    }

    /// The underlying GRDB writer, for components that keep their own tables in the role's database
    /// (the Waku store archive).
    public var writer: any DatabaseWriter { pool }

    /// The number of rows in `table` (a schema name, never user input).
    public func count(_ table: String) throws(StoreError) -> Int {
        do {
            return try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
        } catch {
            throw StoreError("cannot read \(table) from \(path): \(error)")
        }
    }

    /// Runs `body` in a read transaction.
    public func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw StoreError("cannot read \(path): \(error)") }
    }

    /// Runs `body` in a write transaction.
    public func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(body) } catch { throw StoreError("cannot write \(path): \(error)") }
    }

    /// The journal mode SQLite reports (expected: `wal`).
    public func journalMode() throws(StoreError) -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Checkpoints the WAL and closes every connection; later calls fail. Part of a graceful shutdown.
    public func close() throws(StoreError) {
        do {
            try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            try pool.close()
        } catch {
            throw StoreError("cannot close \(path) cleanly: \(error)")
        }
    }

    /// A role's directory must be its own: mode 0700 and owned by the current user, or a misconfiguration could
    /// expose one role's state to another.
    static func checkPrivate(_ directory: String) throws(StoreError) {
        var info = stat()
        guard stat(directory, &info) == 0 else {
            throw StoreError("state directory \(directory) does not exist or cannot be reached")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw StoreError("\(directory) is not a directory") }
        guard info.st_mode & 0o077 == 0 else {
            throw StoreError(
                "state directory \(directory) has mode \(String(info.st_mode & 0o777, radix: 8)); it must be 0700")
        }
        guard info.st_uid == geteuid() else {
            throw StoreError("state directory \(directory) is owned by uid \(info.st_uid), not by this role (uid \(geteuid()))")
        }
    }
}
