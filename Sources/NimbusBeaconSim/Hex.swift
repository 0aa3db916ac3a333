/// Hexadecimal text for bytes, as the Ethereum APIs write it.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lowercase hex with a "0x" prefix.
    public static func prefixed(_ bytes: some Sequence<UInt8>) -> String { "0x" + plain(bytes) }

    /// Lowercase hex without prefix.
    public static func plain(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Bytes from hex (an optional 0x prefix, either case), or nil if it is not hex of whole bytes.
    public static func bytes(_ text: String) -> [UInt8]? {
        var digits = Substring(text)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            guard let byte = UInt8(digits[index..<next], radix: 16) else { return nil }
            out.append(byte)
            index = next
        }
        return out
    }

    /// A validator public key in canonical form (0x + 96 lowercase hex digits), or nil if `text` is not one.
    public static func canonicalPubkey(_ text: String) -> String? {
        guard let bytes = bytes(text), bytes.count == 48, text.hasPrefix("0x") || text.count == 96 else {
            return nil
        }
        return prefixed(bytes)
    }
}
