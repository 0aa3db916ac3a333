/// An EIP-2334 key path such as `m/12381/3600/0/0/0`: "m" then decimal indices below 2^32, separated by "/".
///
/// EIP-2333 has no hardened/non-hardened distinction, so a "'" suffix is an error rather than ignored.
public struct DerivationPath: Hashable, Sendable, CustomStringConvertible {
    /// The child indices below the master key, in order.
    public let indices: [UInt32]

    /// EIP-2334's purpose (BLS12-381) and coin type (Ethereum consensus layer).
    public static let purpose: UInt32 = 12381
    public static let coinType: UInt32 = 3600

    /// A path from its indices.
    public init(indices: [UInt32]) {
        self.indices = indices
    }

    /// Parses `m/i/j/...`; "m" alone is the master key. No spaces, signs, or leading "+".
    public init(parsing text: String) throws(DerivationPathError) {
        guard !text.isEmpty else { throw .empty }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts[0] == "m" else { throw .missingMasterPrefix }
        var indices: [UInt32] = []
        for (offset, part) in parts.dropFirst().enumerated() {
            let position = offset + 1
            guard !part.isEmpty else { throw .emptyComponent(position: position) }
            if part.hasSuffix("'") || part.hasSuffix("h") { throw .hardenedComponent(position: position) }
            guard part.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                throw .notADecimalNumber(position: position)
            }
            guard part.utf8.count <= 10, let value = UInt32(part) else { throw .indexTooLarge(position: position) }
            indices.append(value)
        }
        self.indices = indices
    }

    /// `m/12381/3600/<validator>/0/0`: the key that signs for validator number `validatorIndex`.
    public static func signing(validatorIndex: UInt32) -> DerivationPath {
        DerivationPath(indices: [purpose, coinType, validatorIndex, 0, 0])
    }

    /// `m/12381/3600/<validator>/0`: the withdrawal key of validator number `validatorIndex` (for 0x00 credentials).
    public static func withdrawal(validatorIndex: UInt32) -> DerivationPath {
        DerivationPath(indices: [purpose, coinType, validatorIndex, 0])
    }

    /// The text form, `m/...`.
    public var description: String {
        (["m"] + indices.map { String($0) }).joined(separator: "/")
    }

    /// The form ethstaker-deposit-cli puts in keystore file names: "/" replaced by "_".
    public var fileNameComponent: String {
        (["m"] + indices.map { String($0) }).joined(separator: "_")
    }
}

/// Why a path does not parse. Paths are not secret, but messages still point at positions rather than echo input.
public enum DerivationPathError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case missingMasterPrefix
    case emptyComponent(position: Int)
    case hardenedComponent(position: Int)
    case notADecimalNumber(position: Int)
    case indexTooLarge(position: Int)

    public var description: String {
        switch self {
        case .empty:
            "the key path is empty; expected something like m/12381/3600/0/0/0"
        case .missingMasterPrefix:
            "a key path starts with \"m\", as in m/12381/3600/0/0/0"
        case .emptyComponent(let position):
            "component \(position) of the key path is empty (a doubled or trailing \"/\")"
        case .hardenedComponent(let position):
            "component \(position) of the key path is marked hardened; EIP-2334 paths have plain indices only"
        case .notADecimalNumber(let position):
            "component \(position) of the key path is not a decimal number"
        case .indexTooLarge(let position):
            "component \(position) of the key path is larger than 4294967295 (2^32 - 1)"
        }
    }
}
