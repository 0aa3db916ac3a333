import NimbusHex

/// The 16 bytes that open every PayloadV2 (35/WAKU2-NOISE). Parties on a shared content topic keep only messages whose
/// nametag is the next one they expect; the nametag is also authenticated as associated data, so it cannot be moved
/// to another message.
public struct MessageNametag: Hashable, Sendable {
    public static let byteCount = 16

    public let bytes: [UInt8]

    /// Keeps the first 16 bytes: nametags are cut from longer hash or HKDF outputs.
    init(truncating source: [UInt8]) {
        precondition(source.count >= Self.byteCount, "a nametag source shorter than 16 bytes")
        bytes = Array(source.prefix(Self.byteCount))
    }

    /// Exactly 16 bytes, or nil.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// The form the GUI shows beside its QR code (`--qr-message-nametag`): 32 hexadecimal digits, either case.
    public init(hex text: String) throws(WakuPairingError) {
        guard text.utf8.count == 2 * Self.byteCount, let bytes = Hex.decode(text) else { throw .nametagFormat }
        self.bytes = bytes
    }

    /// Lowercase hexadecimal, the form `init(hex:)` reads.
    public var hex: String { Hex.encode(bytes) }
}

extension MessageNametag: CustomStringConvertible {
    /// Nametags are not keys, but they let an observer link a session's messages: keep them out of logs.
    public var description: String { "MessageNametag(16 bytes)" }
}
