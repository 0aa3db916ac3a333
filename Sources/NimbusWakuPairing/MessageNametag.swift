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
        let digits = Array(text.utf8)
        guard digits.count == 2 * Self.byteCount else { throw .nametagFormat }
        var out: [UInt8] = []
        out.reserveCapacity(Self.byteCount)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else {
                throw .nametagFormat
            }
            out.append(high << 4 | low)
        }
        bytes = out
    }

    /// Lowercase hexadecimal, the form `init(hex:)` reads.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension MessageNametag: CustomStringConvertible {
    /// Nametags are not keys, but they let an observer link a session's messages: keep them out of logs.
    public var description: String { "MessageNametag(16 bytes)" }
}
