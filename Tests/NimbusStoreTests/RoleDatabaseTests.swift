import Foundation
import GRDB
import NimbusStore
import Testing

/// A fresh directory with mode 0700 under /tmp, removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/nimbus-store-test-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = String(cString: try #require(created))
        #expect(chmod(path, 0o700) == 0)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite("RoleDatabase")
struct RoleDatabaseTests {
    static let notes = SchemaMigration("1-notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);")
    /// Not idempotent on purpose: running it twice fails, so a re-run migration shows up as an error.
    static let tags = SchemaMigration("2-tags", "CREATE TABLE tags (name TEXT PRIMARY KEY NOT NULL);")

    static func fileSize(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    /// The description of the `StoreError` `body` throws, or nil if it succeeds.
    static func refusal(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as StoreError {
            return error.description
        } catch {
            return "not a StoreError: \(error)"
        }
    }

    @Test func openingAppliesEveryMigration() throws {
        let directory = try TemporaryDirectory()
        let database = try RoleDatabase(
            directory: directory.path, file: "role.sqlite", migrations: [Self.notes, Self.tags])
        #expect(database.schemaVersion == 2)
        #expect(database.path == directory.file("role.sqlite"))
        #expect(try database.count("notes") == 0)
        #expect(try database.count("tags") == 0)
        let tables = try database.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%' ORDER BY name")
        }
        #expect(tables == ["notes", "tags"])
        try database.close()
    }

    @Test func openingWithoutMigrationsGivesVersionZero() throws {
        let directory = try TemporaryDirectory()
        let database = try RoleDatabase(directory: directory.path, file: "empty.sqlite", migrations: [])
        #expect(database.schemaVersion == 0)
        try database.close()
    }

    @Test func journalModeIsWAL() throws {
        let directory = try TemporaryDirectory()
        let database = try RoleDatabase(directory: directory.path, file: "role.sqlite", migrations: [Self.notes])
        #expect(try database.journalMode() == "wal")
        try database.close()
    }

    @Test func reopeningKeepsRowsAndDoesNotRerunMigrations() throws {
        let directory = try TemporaryDirectory()
        let first = try RoleDatabase(directory: directory.path, file: "role.sqlite", migrations: [Self.notes])
        try first.write { db in try db.execute(sql: "INSERT INTO notes (body) VALUES ('kept')") }
        try first.close()

        let again = try RoleDatabase(directory: directory.path, file: "role.sqlite", migrations: [Self.notes])
        #expect(again.schemaVersion == 1)
        #expect(try again.count("notes") == 1)
        try again.close()

        let upgraded = try RoleDatabase(
            directory: directory.path, file: "role.sqlite", migrations: [Self.notes, Self.tags])
        #expect(upgraded.schemaVersion == 2)
        #expect(try upgraded.read { db in try String.fetchAll(db, sql: "SELECT body FROM notes") } == ["kept"])
        try upgraded.close()
    }

    @Test func failingMigrationIsReportedWithTheFile() throws {
        let directory = try TemporaryDirectory()
        let broken = SchemaMigration("1-broken", "CREATE TABLE nope (")
        let refusal = Self.refusal {
            _ = try RoleDatabase(directory: directory.path, file: "role.sqlite", migrations: [broken])
        }
        let message = try #require(refusal)
        #expect(message.hasPrefix("cannot open the database \(directory.path)/role.sqlite: "), "\(message)")
    }

    @Test func directoryOpenToOthersIsRefusedAsking0700() throws {
        let directory = try TemporaryDirectory()
        #expect(chmod(directory.path, 0o755) == 0)
        let refusal = Self.refusal {
            _ = try RoleDatabase(directory: directory.path, file: "role.sqlite", migrations: [Self.notes])
        }
        let message = try #require(refusal)
        #expect(message == "state directory \(directory.path) has mode 755; it must be 0700")
        #expect(!FileManager.default.fileExists(atPath: directory.file("role.sqlite")))
    }

    @Test func groupAccessAloneIsRefused() throws {
        let directory = try TemporaryDirectory()
        #expect(chmod(directory.path, 0o710) == 0)
        let refusal = Self.refusal {
            _ = try RoleDatabase(directory: directory.path, file: "role.sqlite", migrations: [])
        }
        let message = try #require(refusal)
        #expect(message.contains("it must be 0700"))
    }

    @Test func missingDirectoryIsRefused() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.file("absent")
        let refusal = Self.refusal {
            _ = try RoleDatabase(directory: missing, file: "role.sqlite", migrations: [Self.notes])
        }
        let message = try #require(refusal)
        #expect(message == "state directory \(missing) does not exist or cannot be reached")
    }

    @Test func regularFileIsRefusedAsNotADirectory() throws {
        let directory = try TemporaryDirectory()
        let plain = directory.file("plain")
        #expect(FileManager.default.createFile(atPath: plain, contents: Data(), attributes: [.posixPermissions: 0o600]))
        let refusal = Self.refusal {
            _ = try RoleDatabase(directory: plain, file: "role.sqlite", migrations: [])
        }
        let message = try #require(refusal)
        #expect(message == "\(plain) is not a directory")
    }

    /// Needs root for chown; without root it fails loudly unless NIMBUS_TESTS_UNPRIVILEGED=1 (docs/decisions.md 16).
    @Test(.enabled(
        if: geteuid() == 0 || ProcessInfo.processInfo.environment["NIMBUS_TESTS_UNPRIVILEGED"] != "1",
        "needs root to chown the directory"))
    func directoryOwnedByAnotherUserIsRefused() throws {
        let directory = try TemporaryDirectory()
        try #require(chown(directory.path, 65534, 65534) == 0, "chown needs root; NIMBUS_TESTS_UNPRIVILEGED=1 skips")
        let refusal = Self.refusal {
            _ = try RoleDatabase(directory: directory.path, file: "role.sqlite", migrations: [Self.notes])
        }
        let message = try #require(refusal)
        #expect(
            message == "state directory \(directory.path) is owned by uid 65534, not by this role (uid \(geteuid()))")
    }

    @Test func closeCheckpointsTheWAL() throws {
        let directory = try TemporaryDirectory()
        let wal = directory.file("role.sqlite-wal")
        let database = try RoleDatabase(directory: directory.path, file: "role.sqlite", migrations: [Self.notes])
        try database.write { db in
            for index in 0..<50 {
                try db.execute(sql: "INSERT INTO notes (body) VALUES (?)", arguments: ["row \(index)"])
            }
        }
        #expect((Self.fileSize(wal) ?? 0) > 0, "the writes should sit in the WAL before close")
        try database.close()
        #expect((Self.fileSize(wal) ?? 0) == 0)

        let reopened = try RoleDatabase(directory: directory.path, file: "role.sqlite", migrations: [Self.notes])
        #expect(try reopened.count("notes") == 50)
        try reopened.close()
    }

    @Test func databaseIsUnusableAfterClose() throws {
        let directory = try TemporaryDirectory()
        let database = try RoleDatabase(directory: directory.path, file: "role.sqlite", migrations: [Self.notes])
        try database.close()
        let refusal = Self.refusal { _ = try database.count("notes") }
        let message = try #require(refusal)
        #expect(message.hasPrefix("cannot read notes from \(directory.path)/role.sqlite: "), "\(message)")
    }

    @Test func failedWriteRollsBackAndSaysWhichFile() throws {
        let directory = try TemporaryDirectory()
        let database = try RoleDatabase(directory: directory.path, file: "role.sqlite", migrations: [Self.notes])
        let refusal = Self.refusal {
            try database.write { db in
                try db.execute(sql: "INSERT INTO notes (body) VALUES ('first')")
                try db.execute(sql: "INSERT INTO notes (body) VALUES (NULL)")
            }
        }
        let message = try #require(refusal)
        #expect(message.hasPrefix("cannot write \(directory.path)/role.sqlite: "), "\(message)")
        #expect(try database.count("notes") == 0)
        try database.close()
    }
}
