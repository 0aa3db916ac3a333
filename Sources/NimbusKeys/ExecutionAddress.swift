import NimbusKeccak
/// A 20-byte Ethereum execution-layer address, for 0x01 and 0x02 withdrawal credentials.
///
/// Parsing insists on the EIP-55 mixed-case checksum (as ethstaker-deposit-cli does): a withdrawal address typed
/// wrongly sends every future withdrawal to someone else, and the checksum catches almost every typo.
public struct ExecutionAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address bytes.
    public let bytes: [UInt8]

    /// An address from its 20 bytes.
    public init(bytes: [UInt8]) throws(AddressError) {
        guard bytes.count == 20 else { throw .wrongLength(hexDigits: bytes.count * 2) }
        self.bytes = bytes
    }

    /// Parses "0x" + 40 hex digits with a correct EIP-55 checksum. With `requireChecksum: false`, an all-lowercase
    /// or all-uppercase address (which carries no checksum) is also accepted; mixed case must always be right.
    public init(parsing text: String, requireChecksum: Bool = true) throws(AddressError) {
        let trimmed = text.trimmingWhitespace
        guard trimmed.hasPrefix("0x") else { throw .missingPrefix }
        let digits = String(trimmed.dropFirst(2))
        guard digits.utf8.count == 40 else { throw .wrongLength(hexDigits: digits.utf8.count) }
        guard let bytes = Hex.decode(digits) else { throw .notHex }
        self.bytes = bytes
        let letters = digits.unicodeScalars.filter { $0.properties.isAlphabetic }
        let uniformCase = letters.allSatisfy { $0.properties.isLowercase }
            || letters.allSatisfy { $0.properties.isUppercase }
        if uniformCase && !letters.isEmpty && digits != checksummedDigits {
            if requireChecksum { throw .missingChecksum }
            return
        }
        guard digits == checksummedDigits else { throw .badChecksum }
    }

    /// The EIP-55 form: "0x" and the hex digits with letters upper-cased where the Keccak-256 of the lowercase hex
    /// has a nibble of 8 or more.
    public var checksummed: String { "0x" + checksummedDigits }

    public var description: String { checksummed }

    private var checksummedDigits: String {
        let lower = Hex.encode(bytes)
        let hash = Keccak256.hash(Array(lower.utf8))
        var out = ""
        for (index, character) in lower.enumerated() {
            let nibble = index % 2 == 0 ? hash[index / 2] >> 4 : hash[index / 2] & 0x0F
            out.append(nibble >= 8 ? Character(character.uppercased()) : character)
        }
        return out
    }
}

/// Why a text is not a usable withdrawal address. Addresses are public: messages may say what was expected.
public enum AddressError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingPrefix
    case wrongLength(hexDigits: Int)
    case notHex
    case missingChecksum
    case badChecksum

    public var description: String {
        switch self {
        case .missingPrefix:
            "a withdrawal address starts with 0x followed by 40 hex digits"
        case .wrongLength(let digits):
            "a withdrawal address has 40 hex digits after 0x, not \(digits)"
        case .notHex:
            "the withdrawal address contains characters other than 0-9 and a-f"
        case .missingChecksum:
            "the withdrawal address is all lower or all upper case and so carries no EIP-55 checksum: copy the "
                + "mixed-case form from your wallet so that a typo cannot go unnoticed"
        case .badChecksum:
            "the withdrawal address's EIP-55 checksum (its upper/lower case pattern) does not match: it was "
                + "probably mistyped; copy it again from your wallet"
        }
    }
}

extension String {
    /// The string without leading and trailing white space (a pasted address often carries a newline).
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[start...end])
    }
}
