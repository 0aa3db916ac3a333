/// One step of a role's schema, applied once, in order, inside a transaction (GRDB's `DatabaseMigrator`).
/// Identifiers are never renamed or reused: a database records which ones it has seen.
public struct SchemaMigration: Sendable {
    public var identifier: String
    public var sql: String

    public init(_ identifier: String, _ sql: String) {
        self.identifier = identifier
        self.sql = sql
    }
}

/// The schema of each role's database. Each role owns one database and no role reads another's.
public enum RoleSchema {
    /// The network role: control-socket audit trail (who asked what, from which uid).
    public static let network: [SchemaMigration] = [
        SchemaMigration(
            "1-control-audit",
            """
            CREATE TABLE control_audit (
                id INTEGER PRIMARY KEY,
                at_millis INTEGER NOT NULL,
                peer_uid INTEGER NOT NULL,
                peer_pid INTEGER NOT NULL,
                method TEXT NOT NULL,
                path TEXT NOT NULL,
                status INTEGER NOT NULL
            );
            """),
        SchemaMigration(
            "2-alerts-and-outbox",
            """
            CREATE TABLE alerts (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                subject TEXT NOT NULL,
                severity TEXT NOT NULL,
                title TEXT NOT NULL,
                diagnosis TEXT NOT NULL,
                action TEXT NOT NULL,
                fired_at_millis INTEGER NOT NULL,
                resolved_at_millis INTEGER,
                acknowledged_at_millis INTEGER,
                notified INTEGER NOT NULL CHECK (notified IN (0, 1))
            );
            CREATE UNIQUE INDEX alerts_one_active ON alerts(kind, subject) WHERE resolved_at_millis IS NULL;
            CREATE TABLE devices (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                added_at_millis INTEGER NOT NULL
            );
            INSERT INTO devices (id, name, added_at_millis) VALUES ('local', 'this machine (nimbus CLI)', 0);
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY,
                device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
                alert_id INTEGER NOT NULL REFERENCES alerts(id),
                event TEXT NOT NULL CHECK (event IN ('fired', 'resolved')),
                created_at_millis INTEGER NOT NULL,
                acknowledged_at_millis INTEGER
            );
            CREATE INDEX outbox_pending ON outbox(device_id) WHERE acknowledged_at_millis IS NULL;
            """),
        SchemaMigration(
            "3-paired-devices",
            """
            ALTER TABLE devices ADD COLUMN static_key BLOB;
            ALTER TABLE devices ADD COLUMN revoked_at_millis INTEGER;
            """),
    ]

    /// The signer: encrypted EIP-2335 keystores only (never a plaintext key).
    public static let signer: [SchemaMigration] = [
        SchemaMigration(
            "1-keystores",
            """
            CREATE TABLE keystores (
                pubkey BLOB PRIMARY KEY NOT NULL CHECK (length(pubkey) = 48),
                path TEXT NOT NULL,
                keystore_json TEXT NOT NULL,
                created_at_millis INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
        SchemaMigration(
            "2-keystore-source",
            """
            ALTER TABLE keystores ADD COLUMN source TEXT NOT NULL DEFAULT 'imported'
                CHECK (source IN ('generated', 'imported'));
            """),
        SchemaMigration(
            "3-devices",
            """
            CREATE TABLE devices (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                static_key BLOB NOT NULL CHECK (length(static_key) = 32),
                paired_at_millis INTEGER NOT NULL,
                revoked_at_millis INTEGER
            );
            """),
        // How a device was paired: `cpace` (the PAKE run here, in the signer) or `waku-noise` (the
        // 43/WAKU2-DEVICE-PAIRING handshake, run by the network role with its session key and vouched for by it).
        SchemaMigration(
            "4-device-method",
            """
            ALTER TABLE devices ADD COLUMN method TEXT NOT NULL DEFAULT 'cpace' CHECK (method IN ('cpace', 'waku-noise'));
            """),
        // The signer's own X25519 key for keys channels (docs/keys-channel.md): one row, made on first start. Its
        // public half goes to each device at pairing; like an SSH host key, it is protected by the file's owner
        // and mode, not by a password.
        SchemaMigration(
            "5-channel-key",
            """
            CREATE TABLE channel_key (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                private_key BLOB NOT NULL CHECK (length(private_key) = 32),
                created_at_millis INTEGER NOT NULL
            );
            """),
    ]

    /// The installer: what it installed, and which version is active.
    public static let installer: [SchemaMigration] = [
        SchemaMigration(
            "1-installs",
            """
            CREATE TABLE installs (
                version TEXT PRIMARY KEY NOT NULL,
                commit_hash TEXT NOT NULL,
                path TEXT NOT NULL,
                installed_at_millis INTEGER NOT NULL,
                active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
            );
            CREATE UNIQUE INDEX installs_single_active ON installs(active) WHERE active = 1;
            """),
        // A launched node that was stopped on request or after a doppelganger exit stays down across restarts of
        // the node manager (and of the host) until someone starts it.
        SchemaMigration(
            "2-node-holds",
            """
            CREATE TABLE node_holds (
                name TEXT PRIMARY KEY NOT NULL,
                reason TEXT NOT NULL CHECK (reason IN ('stopped', 'doppelganger')),
                since_millis INTEGER NOT NULL
            );
            """),
    ]
}
