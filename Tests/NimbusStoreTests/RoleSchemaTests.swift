import GRDB
import NimbusStore
import Testing

@Suite("RoleSchema")
struct RoleSchemaTests {
    static func open(_ migrations: [SchemaMigration], in directory: TemporaryDirectory) throws -> RoleDatabase {
        try RoleDatabase(directory: directory.path, file: "role.sqlite", migrations: migrations)
    }

    static func activeVersions(in database: RoleDatabase) throws -> [String] {
        try database.read { db in try String.fetchAll(db, sql: "SELECT version FROM installs WHERE active = 1") }
    }

    static func columns(_ table: String, in database: RoleDatabase) throws -> [String] {
        try database.read { db in try db.columns(in: table).map(\.name) }
    }

    @Test func everyRoleSchemaMigratesCleanlyAndTwice() throws {
        for migrations in [RoleSchema.network, RoleSchema.signer, RoleSchema.installer] {
            let directory = try TemporaryDirectory()
            let first = try Self.open(migrations, in: directory)
            #expect(first.schemaVersion == migrations.count)
            #expect(try first.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
            try first.close()
            let second = try Self.open(migrations, in: directory)
            #expect(second.schemaVersion == migrations.count)
            try second.close()
        }
    }

    @Test func migrationIdentifiersAreUniqueWithinEachSchema() {
        for migrations in [RoleSchema.network, RoleSchema.signer, RoleSchema.installer] {
            let identifiers = migrations.map(\.identifier)
            #expect(Set(identifiers).count == identifiers.count)
        }
    }

    // MARK: Network

    @Test func networkAuditTrailStoresRows() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.open(RoleSchema.network, in: directory)
        #expect(try Self.columns("control_audit", in: database)
            == ["id", "at_millis", "peer_uid", "peer_pid", "method", "path", "status"])
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO control_audit (at_millis, peer_uid, peer_pid, method, path, status)
                VALUES (1795717421837, 1000, 4242, 'GET', '/v1/status', 200)
                """)
        }
        #expect(try database.count("control_audit") == 1)
        try database.close()
    }

    @Test func networkAuditTrailRequiresEveryField() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.open(RoleSchema.network, in: directory)
        #expect(throws: StoreError.self) {
            try database.write { db in
                try db.execute(sql: """
                    INSERT INTO control_audit (at_millis, peer_uid, peer_pid, method, status)
                    VALUES (1, 1000, 4242, 'GET', 200)
                    """)
            }
        }
        #expect(try database.count("control_audit") == 0)
        try database.close()
    }

    // MARK: Signer

    @Test func signerAcceptsA48BytePubkey() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.open(RoleSchema.signer, in: directory)
        try database.write { db in
            try db.execute(sql: "INSERT INTO keystores (pubkey, path, keystore_json, created_at_millis) VALUES (randomblob(48), '/keys/a.json', '{}', 1)")
            try db.execute(sql: "INSERT INTO keystores (pubkey, path, keystore_json, created_at_millis) VALUES (randomblob(48), '/keys/b.json', '{}', 2)")
        }
        #expect(try database.count("keystores") == 2)
        try database.close()
    }

    @Test(arguments: [0, 32, 47, 49, 96])
    func signerRefusesAPubkeyThatIsNot48Bytes(length: Int) throws {
        let directory = try TemporaryDirectory()
        let database = try Self.open(RoleSchema.signer, in: directory)
        #expect(throws: StoreError.self) {
            try database.write { db in
                try db.execute(sql: "INSERT INTO keystores (pubkey, path, keystore_json, created_at_millis) VALUES (zeroblob(?), '/keys/a.json', '{}', 1)",
                               arguments: [length])
            }
        }
        #expect(try database.count("keystores") == 0)
        try database.close()
    }

    @Test func signerKeystoresSayWhereTheyCameFrom() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.open(RoleSchema.signer, in: directory)
        try database.write { db in
            try db.execute(sql: "INSERT INTO keystores (pubkey, path, keystore_json, created_at_millis) VALUES (randomblob(48), '', '{}', 1)")
            try db.execute(sql: "INSERT INTO keystores (pubkey, path, keystore_json, created_at_millis, source) VALUES (randomblob(48), '', '{}', 1, 'generated')")
        }
        #expect(try database.read { db in try String.fetchAll(db, sql: "SELECT source FROM keystores ORDER BY source") }
            == ["generated", "imported"])
        #expect(throws: StoreError.self) {
            try database.write { db in
                try db.execute(sql: "INSERT INTO keystores (pubkey, path, keystore_json, created_at_millis, source) VALUES (randomblob(48), '', '{}', 1, 'found')")
            }
        }
        #expect(throws: StoreError.self) {
            try database.write { db in
                try db.execute(sql: "INSERT INTO devices (name, static_key, paired_at_millis) VALUES ('x', zeroblob(31), 1)")
            }
        }
        try database.close()
    }

    @Test func signerRefusesTheSamePubkeyTwice() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.open(RoleSchema.signer, in: directory)
        try database.write { db in try db.execute(sql: "INSERT INTO keystores (pubkey, path, keystore_json, created_at_millis) VALUES (zeroblob(48), '/a', '{}', 1)") }
        #expect(throws: StoreError.self) {
            try database.write { db in
                try db.execute(sql: "INSERT INTO keystores (pubkey, path, keystore_json, created_at_millis) VALUES (zeroblob(48), '/b', '{}', 2)")
            }
        }
        #expect(try database.count("keystores") == 1)
        try database.close()
    }

    @Test func signerRefusesAMissingPubkey() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.open(RoleSchema.signer, in: directory)
        #expect(throws: StoreError.self) {
            try database.write { db in try db.execute(sql: "INSERT INTO keystores (pubkey, path, keystore_json, created_at_millis) VALUES (NULL, '/a', '{}', 1)") }
        }
        try database.close()
    }

    // MARK: Installer

    @Test func installerAllowsManyInactiveRowsAndOneActive() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.open(RoleSchema.installer, in: directory)
        try database.write { db in
            let insert = "INSERT INTO installs (version, commit_hash, path, installed_at_millis) VALUES (?, ?, ?, ?)"
            try db.execute(sql: insert, arguments: ["25.1.0", "aa", "/opt/a", 1])
            try db.execute(sql: insert, arguments: ["25.2.0", "bb", "/opt/b", 2])
            try db.execute(sql: "INSERT INTO installs VALUES ('25.3.0', 'cc', '/opt/c', 3, 1)")
        }
        #expect(try database.count("installs") == 3)
        #expect(try Self.activeVersions(in: database) == ["25.3.0"])
        try database.close()
    }

    @Test func installerRefusesASecondActiveRow() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.open(RoleSchema.installer, in: directory)
        try database.write { db in try db.execute(sql: "INSERT INTO installs VALUES ('25.1.0', 'aa', '/opt/a', 1, 1)") }
        #expect(throws: StoreError.self) {
            try database.write { db in
                try db.execute(sql: "INSERT INTO installs VALUES ('25.2.0', 'bb', '/opt/b', 2, 1)")
            }
        }
        // Switching versions works when the old one is deactivated in the same transaction.
        try database.write { db in
            try db.execute(sql: "UPDATE installs SET active = 0 WHERE version = '25.1.0'")
            try db.execute(sql: "INSERT INTO installs VALUES ('25.2.0', 'bb', '/opt/b', 2, 1)")
        }
        #expect(try Self.activeVersions(in: database) == ["25.2.0"])
        try database.close()
    }

    @Test(arguments: [2, -1])
    func installerActiveFlagIsZeroOrOne(value: Int) throws {
        let directory = try TemporaryDirectory()
        let database = try Self.open(RoleSchema.installer, in: directory)
        #expect(throws: StoreError.self) {
            try database.write { db in
                try db.execute(sql: "INSERT INTO installs VALUES ('25.1.0', 'aa', '/opt/a', 1, ?)", arguments: [value])
            }
        }
        try database.close()
    }

    @Test func installerRefusesTheSameVersionTwice() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.open(RoleSchema.installer, in: directory)
        try database.write { db in try db.execute(sql: "INSERT INTO installs VALUES ('25.1.0', 'aa', '/opt/a', 1, 0)") }
        #expect(throws: StoreError.self) {
            try database.write { db in
                try db.execute(sql: "INSERT INTO installs VALUES ('25.1.0', 'bb', '/opt/b', 2, 0)")
            }
        }
        try database.close()
    }
}
