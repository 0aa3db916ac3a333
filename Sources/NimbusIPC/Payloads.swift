/// Operational failure of a request, e.g. the database could not be read.
public struct Failure: Sendable, Equatable, Error {
    /// Stable machine-readable reasons.
    public enum Code: UInt16, Sendable {
        case internalError = 1
        case unavailable = 2
        case storage = 3
        case peerDown = 4
        /// The request's subject does not exist (for this caller).
        case notFound = 5
        /// The caller may not do this.
        case forbidden = 6
        /// The request is malformed or did not authenticate.
        case invalid = 7
        /// The subject is busy with another request.
        case busy = 8
        /// A limit on open things was reached.
        case tooMany = 9
        /// The request exceeds a size limit.
        case tooLarge = 10
    }

    public var code: Code
    /// One line a user can act on. Never carries secret material.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    func encode(into writer: inout WireWriter) {
        writer.u16(code.rawValue)
        writer.string(message)
    }

    init(from reader: inout WireReader) throws(IPCError) {
        let raw = try reader.u16()
        guard let code = Code(rawValue: raw) else { throw .invalidEnum(field: "failure.code", value: UInt64(raw)) }
        self.code = code
        message = try reader.string()
    }
}

/// One sandbox step as the role itself reports it after applying its sandbox.
public struct SandboxStepReport: Sendable, Equatable {
    public var name: String
    public var inForce: Bool
    public var detail: String

    public init(name: String, inForce: Bool, detail: String) {
        self.name = name
        self.inForce = inForce
        self.detail = detail
    }

    func encode(into writer: inout WireWriter) {
        writer.string(name)
        writer.bool(inForce)
        writer.string(detail)
    }

    init(from reader: inout WireReader) throws(IPCError) {
        name = try reader.string()
        inForce = try reader.bool()
        detail = try reader.string()
    }
}

/// The lifecycle state of a role as the supervisor sees it.
public enum RoleState: UInt8, Sendable, CustomStringConvertible {
    case starting = 0
    case running = 1
    case restarting = 2
    case stopped = 3

    public var description: String {
        switch self {
        case .starting: "starting"
        case .running: "running"
        case .restarting: "restarting"
        case .stopped: "stopped"
        }
    }
}

/// What the kernel says about a role's process, read by the supervisor from /proc/<pid>/status and /proc/<pid>/ns/net.
public struct ObservedSandbox: Sendable, Equatable {
    /// The `Seccomp:` field: 0 none, 1 strict, 2 filter.
    public var seccompMode: UInt8
    public var noNewPrivs: Bool
    public var capEff: UInt64
    public var capBnd: UInt64
    /// The `/proc/<pid>/ns/net` link, e.g. `net:[4026531840]`.
    public var netNamespace: String
    /// True when the role's network namespace differs from the supervisor's.
    public var ownNetNamespace: Bool

    public init(
        seccompMode: UInt8, noNewPrivs: Bool, capEff: UInt64, capBnd: UInt64, netNamespace: String,
        ownNetNamespace: Bool
    ) {
        self.seccompMode = seccompMode
        self.noNewPrivs = noNewPrivs
        self.capEff = capEff
        self.capBnd = capBnd
        self.netNamespace = netNamespace
        self.ownNetNamespace = ownNetNamespace
    }

    func encode(into writer: inout WireWriter) {
        writer.u8(seccompMode)
        writer.bool(noNewPrivs)
        writer.u64(capEff)
        writer.u64(capBnd)
        writer.string(netNamespace)
        writer.bool(ownNetNamespace)
    }

    init(from reader: inout WireReader) throws(IPCError) {
        seccompMode = try reader.u8()
        noNewPrivs = try reader.bool()
        capEff = try reader.u64()
        capBnd = try reader.u64()
        netNamespace = try reader.string()
        ownNetNamespace = try reader.bool()
    }
}

/// One row of `roleStatus`.
public struct RoleInfo: Sendable, Equatable {
    public var role: Role
    public var state: RoleState
    /// Zero while no process runs.
    public var pid: Int32
    public var user: String
    public var uid: UInt32
    public var restarts: UInt32
    /// Why the previous process ended, in words ("killed by signal 9 (SIGKILL)"); empty if it never ended.
    public var lastExit: String
    /// Unix time in milliseconds when the current process was spawned; zero if none.
    public var startedAtMillis: UInt64
    /// Read from /proc by the supervisor; nil when the process could not be inspected.
    public var observed: ObservedSandbox?
    /// The role's own account of its sandbox, from its `ready` message.
    public var reported: [SandboxStepReport]

    public init(
        role: Role, state: RoleState, pid: Int32, user: String, uid: UInt32, restarts: UInt32, lastExit: String,
        startedAtMillis: UInt64, observed: ObservedSandbox?, reported: [SandboxStepReport]
    ) {
        self.role = role
        self.state = state
        self.pid = pid
        self.user = user
        self.uid = uid
        self.restarts = restarts
        self.lastExit = lastExit
        self.startedAtMillis = startedAtMillis
        self.observed = observed
        self.reported = reported
    }

    func encode(into writer: inout WireWriter) {
        writer.u8(role.rawValue)
        writer.u8(state.rawValue)
        writer.i32(pid)
        writer.string(user)
        writer.u32(uid)
        writer.u32(restarts)
        writer.string(lastExit)
        writer.u64(startedAtMillis)
        writer.bool(observed != nil)
        observed?.encode(into: &writer)
        writer.array(reported) { $1.encode(into: &$0) }
    }

    init(from reader: inout WireReader) throws(IPCError) {
        role = try reader.enumeration(Role.self, field: "role")
        state = try reader.enumeration(RoleState.self, field: "state")
        pid = try reader.i32()
        user = try reader.string()
        uid = try reader.u32()
        restarts = try reader.u32()
        lastExit = try reader.string()
        startedAtMillis = try reader.u64()
        observed = try reader.bool() ? try ObservedSandbox(from: &reader) : nil
        reported = try reader.array { (r) throws(IPCError) in try SandboxStepReport(from: &r) }
    }
}

/// The signer's key store, as far as it may be told: counts, never keys.
public struct KeyStoreStatus: Sendable, Equatable {
    /// Encrypted keystores held.
    public var keystoreCount: UInt32
    /// The schema version of the signer's database after migrations.
    public var schemaVersion: UInt32

    public init(keystoreCount: UInt32, schemaVersion: UInt32) {
        self.keystoreCount = keystoreCount
        self.schemaVersion = schemaVersion
    }

    func encode(into writer: inout WireWriter) {
        writer.u32(keystoreCount)
        writer.u32(schemaVersion)
    }

    init(from reader: inout WireReader) throws(IPCError) {
        keystoreCount = try reader.u32()
        schemaVersion = try reader.u32()
    }
}

/// Who opened a `nimbus keys` session, as the network role's kernel saw it (SO_PEERCRED at accept). The signer
/// does not take this on trust: it reads the credentials of the descriptor it receives itself, and logs both.
public struct KeysClient: Sendable, Equatable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    func encode(into writer: inout WireWriter) {
        writer.u32(UInt32(bitPattern: pid))
        writer.u32(uid)
        writer.u32(gid)
    }

    init(from reader: inout WireReader) throws(IPCError) {
        pid = Int32(bitPattern: try reader.u32())
        uid = try reader.u32()
        gid = try reader.u32()
    }
}

/// A paired device the network role must admit (with its pinned X25519 key), or one it must drop at once.
public struct DeviceChange: Sendable, Equatable {
    public var id: UInt64
    public var name: String
    public var staticKey: [UInt8]
    public var revoked: Bool

    public init(id: UInt64, name: String, staticKey: [UInt8], revoked: Bool) {
        self.id = id
        self.name = name
        self.staticKey = staticKey
        self.revoked = revoked
    }

    func encode(into writer: inout WireWriter) {
        writer.u64(id)
        writer.string(name)
        writer.byteString(staticKey)
        writer.bool(revoked)
    }

    init(from reader: inout WireReader) throws(IPCError) {
        id = try reader.u64()
        name = try reader.string()
        staticKey = try reader.byteString()
        revoked = try reader.bool()
        guard staticKey.count == 32 else { throw .invalidValue("a device key is 32 bytes, not \(staticKey.count)") }
    }
}

/// A device the network role paired through the 43/WAKU2-DEVICE-PAIRING flow (`nimbus pair --qr`), which it runs
/// itself because the handshake uses its session key. The signer records it as vouched for by the network role.
public struct NetworkPairedDevice: Sendable, Equatable {
    public var name: String
    public var staticKey: [UInt8]

    public init(name: String, staticKey: [UInt8]) {
        self.name = name
        self.staticKey = staticKey
    }

    func encode(into writer: inout WireWriter) {
        writer.string(name)
        writer.byteString(staticKey)
    }

    init(from reader: inout WireReader) throws(IPCError) {
        name = try reader.string()
        staticKey = try reader.byteString()
        guard staticKey.count == 32 else { throw .invalidValue("a device key is 32 bytes, not \(staticKey.count)") }
        guard !name.isEmpty, name.utf8.count <= 64 else { throw .invalidValue("a device name is 1 to 64 bytes") }
    }
}

/// What the installer has installed and what it is doing.
public struct InstallState: Sendable, Equatable {
    /// The installer's current activity.
    public enum Phase: UInt8, Sendable, CustomStringConvertible {
        case idle = 0
        case downloading = 1
        case verifying = 2
        case installing = 3

        public var description: String {
            switch self {
            case .idle: "idle"
            case .downloading: "downloading"
            case .verifying: "verifying"
            case .installing: "installing"
            }
        }
    }

    public var phase: Phase
    /// The Nimbus version in use, empty when none was installed by the node manager.
    public var activeVersion: String
    /// Every installed version, newest first.
    public var installedVersions: [String]
    /// The schema version of the installer's database after migrations.
    public var schemaVersion: UInt32

    public init(phase: Phase, activeVersion: String, installedVersions: [String], schemaVersion: UInt32) {
        self.phase = phase
        self.activeVersion = activeVersion
        self.installedVersions = installedVersions
        self.schemaVersion = schemaVersion
    }

    func encode(into writer: inout WireWriter) {
        writer.u8(phase.rawValue)
        writer.string(activeVersion)
        writer.array(installedVersions) { $0.string($1) }
        writer.u32(schemaVersion)
    }

    init(from reader: inout WireReader) throws(IPCError) {
        phase = try reader.enumeration(Phase.self, field: "phase")
        activeVersion = try reader.string()
        installedVersions = try reader.array { (r) throws(IPCError) in try r.string() }
        schemaVersion = try reader.u32()
    }
}

/// One node the installer runs itself (`[nodes.launch]`): where its process is and how the last one ended.
public struct NodeProcessState: Sendable, Equatable {
    public enum Phase: UInt8, Sendable, CustomStringConvertible {
        /// Not running and not to be started until asked.
        case stopped = 0
        case starting = 1
        case running = 2
        case stopping = 3
        /// Stopped by itself; starts again at `restartAtMillis`.
        case waiting = 4
        /// Exited with status 129 (doppelganger detected): stays down until asked.
        case held = 5

        public var description: String {
            switch self {
            case .stopped: "stopped"
            case .starting: "starting"
            case .running: "running"
            case .stopping: "stopping"
            case .waiting: "waiting"
            case .held: "held"
            }
        }
    }

    public var name: String
    public var phase: Phase
    /// The running process, 0 when none.
    public var pid: UInt32
    /// Starts after the first.
    public var restarts: UInt32
    /// When the running process started (Unix milliseconds), 0 when none runs.
    public var sinceMillis: UInt64
    /// When a waiting node starts again, 0 otherwise.
    public var restartAtMillis: UInt64
    /// How the last process ended: its exit status (-1 when it was killed or none ended yet) or the signal (0).
    public var lastExitCode: Int32
    public var lastExitSignal: Int32
    public var lastExitAtMillis: UInt64
    /// Why the last start failed, "" after a successful one.
    public var lastError: String

    public init(
        name: String, phase: Phase, pid: UInt32, restarts: UInt32, sinceMillis: UInt64, restartAtMillis: UInt64,
        lastExitCode: Int32, lastExitSignal: Int32, lastExitAtMillis: UInt64, lastError: String
    ) {
        self.name = name
        self.phase = phase
        self.pid = pid
        self.restarts = restarts
        self.sinceMillis = sinceMillis
        self.restartAtMillis = restartAtMillis
        self.lastExitCode = lastExitCode
        self.lastExitSignal = lastExitSignal
        self.lastExitAtMillis = lastExitAtMillis
        self.lastError = lastError
    }

    func encode(into writer: inout WireWriter) {
        writer.string(name)
        writer.u8(phase.rawValue)
        writer.u32(pid)
        writer.u32(restarts)
        writer.u64(sinceMillis)
        writer.u64(restartAtMillis)
        writer.i32(lastExitCode)
        writer.i32(lastExitSignal)
        writer.u64(lastExitAtMillis)
        writer.string(lastError)
    }

    init(from reader: inout WireReader) throws(IPCError) {
        name = try reader.string()
        phase = try reader.enumeration(Phase.self, field: "node process phase")
        pid = try reader.u32()
        restarts = try reader.u32()
        sinceMillis = try reader.u64()
        restartAtMillis = try reader.u64()
        lastExitCode = try reader.i32()
        lastExitSignal = try reader.i32()
        lastExitAtMillis = try reader.u64()
        lastError = try reader.string()
        guard !name.isEmpty, name.utf8.count <= 64 else { throw .invalidValue("a node name is 1 to 64 bytes") }
        guard (-1...255).contains(lastExitCode), (0...64).contains(lastExitSignal) else {
            throw .invalidValue("an exit status is -1...255 and a signal 0...64")
        }
        guard (phase == .running || phase == .stopping) == (pid != 0) else {
            throw .invalidValue("a \(phase) node \(pid == 0 ? "needs" : "has no") pid")
        }
    }
}

/// A request to start, stop or restart a node the installer runs.
public struct NodeControl: Sendable, Equatable {
    public enum Action: UInt8, Sendable, CustomStringConvertible {
        case start = 1
        case stop = 2
        case restart = 3

        public var description: String {
            switch self {
            case .start: "start"
            case .stop: "stop"
            case .restart: "restart"
            }
        }
    }

    public var name: String
    public var action: Action

    public init(name: String, action: Action) {
        self.name = name
        self.action = action
    }

    func encode(into writer: inout WireWriter) {
        writer.string(name)
        writer.u8(action.rawValue)
    }

    init(from reader: inout WireReader) throws(IPCError) {
        name = try reader.string()
        action = try reader.enumeration(Action.self, field: "node control action")
        guard !name.isEmpty, name.utf8.count <= 64 else { throw .invalidValue("a node name is 1 to 64 bytes") }
    }
}

/// What the release source answered, fetched by the installer (TLS through libcurl) and read by the network role,
/// which parses it: the privileged role parses nothing of it.
public struct ReleaseDocument: Sendable, Equatable {
    /// The largest body carried: GitHub's `releases/latest` with long notes is tens of KiB.
    public static let maximumBody = 768 << 10

    /// The HTTP status of the final response.
    public var status: UInt16
    public var body: [UInt8]

    public init(status: UInt16, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    func encode(into writer: inout WireWriter) {
        writer.u16(status)
        writer.byteString(body)
    }

    init(from reader: inout WireReader) throws(IPCError) {
        status = try reader.u16()
        body = try reader.byteString()
        guard (100...599).contains(status) else { throw .invalidValue("an HTTP status is 100...599, not \(status)") }
        guard body.count <= Self.maximumBody else {
            throw .invalidValue("a release document is at most \(Self.maximumBody) bytes, not \(body.count)")
        }
    }
}

/// One validator key the signer holds, as the manager API lists it: public facts only.
public struct KeyListEntry: Sendable, Equatable {
    public enum Source: UInt8, Sendable {
        case generated = 0
        case imported = 1
    }

    /// The BLS public key, 48 bytes.
    public var pubkey: [UInt8]
    /// The EIP-2334 path, "" when an imported keystore names none.
    public var path: String
    public var source: Source
    public var createdAtMillis: UInt64

    public init(pubkey: [UInt8], path: String, source: Source, createdAtMillis: UInt64) {
        self.pubkey = pubkey
        self.path = path
        self.source = source
        self.createdAtMillis = createdAtMillis
    }

    func encode(into writer: inout WireWriter) {
        writer.byteString(pubkey)
        writer.string(path)
        writer.u8(source.rawValue)
        writer.u64(createdAtMillis)
    }

    init(from reader: inout WireReader) throws(IPCError) {
        pubkey = try reader.byteString()
        path = try reader.string()
        source = try reader.enumeration(Source.self, field: "key source")
        createdAtMillis = try reader.u64()
        guard pubkey.count == 48 else { throw .invalidValue("a BLS public key is 48 bytes, not \(pubkey.count)") }
        guard path.utf8.count <= 128 else { throw .invalidValue("a key path is at most 128 bytes") }
    }
}

/// Limits of keys-channel payloads (docs/keys-channel.md): what a decoder refuses before anything else looks.
public enum KeysChannelLimits {
    public static let channelIDBytes = 16
    public static let handshakeBytes = 48
    /// Noise's message limit.
    public static let messageBytes = 65535
    /// Sealed bytes per exchange, each way.
    public static let exchangeBytes = 512 * 1024
}

/// A device opens a keys channel: the device the network role's session authenticated, and the first handshake
/// message.
public struct KeysChannelOpen: Sendable, Equatable {
    public var device: UInt64
    public var handshake: [UInt8]

    public init(device: UInt64, handshake: [UInt8]) {
        self.device = device
        self.handshake = handshake
    }

    func encode(into writer: inout WireWriter) {
        writer.u64(device)
        writer.byteString(handshake)
    }

    init(from reader: inout WireReader) throws(IPCError) {
        device = try reader.u64()
        handshake = try reader.byteString()
        guard handshake.count == KeysChannelLimits.handshakeBytes else {
            throw .invalidValue("a keys-channel handshake message is 48 bytes, not \(handshake.count)")
        }
    }
}

/// The signer opened a channel.
public struct KeysChannelOpened: Sendable, Equatable {
    public var channel: [UInt8]
    public var handshake: [UInt8]

    public init(channel: [UInt8], handshake: [UInt8]) {
        self.channel = channel
        self.handshake = handshake
    }

    func encode(into writer: inout WireWriter) {
        writer.byteString(channel)
        writer.byteString(handshake)
    }

    init(from reader: inout WireReader) throws(IPCError) {
        channel = try KeysChannelRef.channelID(&reader)
        handshake = try reader.byteString()
        guard handshake.count == KeysChannelLimits.handshakeBytes else {
            throw .invalidValue("a keys-channel handshake message is 48 bytes, not \(handshake.count)")
        }
    }
}

/// A channel of a device.
public struct KeysChannelRef: Sendable, Equatable {
    public var device: UInt64
    public var channel: [UInt8]

    public init(device: UInt64, channel: [UInt8]) {
        self.device = device
        self.channel = channel
    }

    func encode(into writer: inout WireWriter) {
        writer.u64(device)
        writer.byteString(channel)
    }

    init(from reader: inout WireReader) throws(IPCError) {
        device = try reader.u64()
        channel = try Self.channelID(&reader)
    }

    static func channelID(_ reader: inout WireReader) throws(IPCError) -> [UInt8] {
        let channel = try reader.byteString()
        guard channel.count == KeysChannelLimits.channelIDBytes else {
            throw .invalidValue("a keys-channel id is 16 bytes, not \(channel.count)")
        }
        return channel
    }

    /// Sealed messages: each at most Noise's limit, all together at most one exchange.
    static func messages(_ reader: inout WireReader) throws(IPCError) -> [[UInt8]] {
        let messages = try reader.array { (r) throws(IPCError) -> [UInt8] in
            let message = try r.byteString()
            guard message.count <= KeysChannelLimits.messageBytes else {
                throw .invalidValue("a keys-channel message is at most 65535 bytes, not \(message.count)")
            }
            return message
        }
        guard messages.reduce(0, { $0 + $1.count }) <= KeysChannelLimits.exchangeBytes else {
            throw .invalidValue("a keys-channel exchange carries at most 512 KiB")
        }
        return messages
    }
}

/// One exchange's worth of a device's sealed messages.
public struct KeysChannelExchange: Sendable, Equatable {
    public var channel: KeysChannelRef
    public var messages: [[UInt8]]

    public init(channel: KeysChannelRef, messages: [[UInt8]]) {
        self.channel = channel
        self.messages = messages
    }

    func encode(into writer: inout WireWriter) {
        channel.encode(into: &writer)
        writer.array(messages) { $0.byteString($1) }
    }

    init(from reader: inout WireReader) throws(IPCError) {
        channel = try KeysChannelRef(from: &reader)
        messages = try KeysChannelRef.messages(&reader)
    }
}

/// The signer's sealed messages and whose turn it is.
public struct KeysChannelOutput: Sendable, Equatable {
    public enum Turn: UInt8, Sendable, CaseIterable {
        /// The signer waits for the device.
        case waiting = 0
        /// The signer is still working, or has more output: ask again.
        case working = 1
        /// The channel has ended.
        case closed = 2
    }

    public var turn: Turn
    public var messages: [[UInt8]]

    public init(turn: Turn, messages: [[UInt8]]) {
        self.turn = turn
        self.messages = messages
    }

    func encode(into writer: inout WireWriter) {
        writer.u8(turn.rawValue)
        writer.array(messages) { $0.byteString($1) }
    }

    init(from reader: inout WireReader) throws(IPCError) {
        turn = try reader.enumeration(Turn.self, field: "turn")
        messages = try KeysChannelRef.messages(&reader)
    }
}
