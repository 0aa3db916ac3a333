/// What the device that asks to be paired (the responder, B: the GUI) shows as a QR code: five base64url fields joined
/// by ':' — application name, application version, shard id (UTF-8 text), its ephemeral X25519 public key eB, and the
/// commitment H(sB || r) to its static key. The 16-byte message nametag for the first message travels beside it.
public struct WakuPairingQR: Equatable, Sendable {
    /// How the content topic is built from the QR's text fields (see `contentTopic(_:)`).
    public enum TopicForm: Sendable {
        /// 43/WAKU2-DEVICE-PAIRING: `/{name}/{version}/wakunoise/1/sessions_shard-{shard}/proto`. Also what nwaku's
        /// and go-waku's pairing use, and @waku/noise before April 2024.
        case specification
        /// @waku/noise since April 2024 (so that autosharding can place it): `/{name}/{version}/{shard}/proto`.
        case autosharding
    }

    public static let keyBytes = 32

    public let applicationName: String
    public let applicationVersion: String
    public let shardId: String
    /// eB: the responder's ephemeral public key, the handshake's pre-message.
    public let ephemeralKey: [UInt8]
    /// H(sB || r): binds the responder to the static key it reveals in message 2.
    public let committedStaticKey: [UInt8]

    public init(
        applicationName: String, applicationVersion: String, shardId: String, ephemeralKey: [UInt8],
        committedStaticKey: [UInt8]
    ) throws(WakuPairingError) {
        for (field, text) in [("application name", applicationName), ("application version", applicationVersion),
                              ("shard id", shardId)] where !Self.isTopicText(text) {
            throw .qrText(field: field)
        }
        guard ephemeralKey.count == Self.keyBytes else {
            throw .qrKeyLength(field: "ephemeral key", bytes: ephemeralKey.count)
        }
        guard committedStaticKey.count == Self.keyBytes else {
            throw .qrKeyLength(field: "committed static key", bytes: committedStaticKey.count)
        }
        self.applicationName = applicationName
        self.applicationVersion = applicationVersion
        self.shardId = shardId
        self.ephemeralKey = ephemeralKey
        self.committedStaticKey = committedStaticKey
    }

    /// Parses the string the GUI shows. Whitespace around it (a pasted newline) is ignored; nothing else is forgiven.
    public init(parsing text: String) throws(WakuPairingError) {
        let trimmed = text.utf8.drop(while: Self.isSpace).reversed().drop(while: Self.isSpace).reversed()
        let fields = String(decoding: trimmed, as: UTF8.self).split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 5 else { throw .qrFieldCount(fields.count) }
        let names = ["application name", "application version", "shard id", "ephemeral key", "committed static key"]
        var decoded: [[UInt8]] = []
        for (name, field) in zip(names, fields) {
            guard let bytes = Base64URL.decode(field) else { throw .qrBase64(field: name) }
            decoded.append(bytes)
        }
        func textField(_ index: Int) throws(WakuPairingError) -> String {
            guard let string = String(validating: decoded[index], as: UTF8.self) else {
                throw .qrText(field: names[index])
            }
            return string
        }
        try self.init(
            applicationName: try textField(0), applicationVersion: try textField(1), shardId: try textField(2),
            ephemeralKey: decoded[3], committedStaticKey: decoded[4])
    }

    /// The canonical string: padded base64url fields. Both parties mix its UTF-8 bytes into the handshake as the
    /// prologue, so the host re-encodes what it parsed rather than using the pasted text.
    public var string: String {
        [Base64URL.encode(Array(applicationName.utf8)), Base64URL.encode(Array(applicationVersion.utf8)),
         Base64URL.encode(Array(shardId.utf8)), Base64URL.encode(ephemeralKey), Base64URL.encode(committedStaticKey)]
            .joined(separator: ":")
    }

    /// The Noise prologue: the QR string's bytes.
    public var prologue: [UInt8] { Array(string.utf8) }

    /// The content topic both parties publish the handshake on.
    public func contentTopic(_ form: TopicForm = .specification) -> String {
        switch form {
        case .specification: "/\(applicationName)/\(applicationVersion)/wakunoise/1/sessions_shard-\(shardId)/proto"
        case .autosharding: "/\(applicationName)/\(applicationVersion)/\(shardId)/proto"
        }
    }

    /// Non-empty, no '/' (it would add topic levels) and no control characters.
    private static func isTopicText(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0 != "/" && $0.value >= 0x20 && $0.value != 0x7F }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "\t")
    }
}

extension WakuPairingQR: CustomStringConvertible {
    /// Only the public topic parameters: the keys and the commitment stay out of logs.
    public var description: String {
        "WakuPairingQR(\(applicationName)/\(applicationVersion), shard \(shardId))"
    }
}
