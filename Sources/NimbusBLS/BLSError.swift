// Every way a BLS operation can refuse its input, each with one line that says what was wrong.

/// Why a key, signature or point was rejected, or an operation could not run. `kind` is for code; `description`
/// is one human-readable line, e.g. "signature has the wrong length: 95 bytes, expected 96".
public struct BLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reason, for code that needs to tell cases apart.
    public enum Kind: Sendable, Equatable {
        /// The byte string is not the encoding's length.
        case wrongLength
        /// The compression flag (top bit) is clear: only compressed encodings are accepted.
        case notCompressed
        /// The infinity flag is set together with the sign flag or with non-zero coordinate bits.
        case invalidInfinityEncoding
        /// A coordinate is not below the field modulus p.
        case coordinateNotInField
        /// No point of the curve has this x coordinate.
        case notOnCurve
        /// The point is on the curve but not in the prime-order subgroup.
        case notInSubgroup
        /// A public key is the point at infinity (KeyValidate forbids it).
        case identityPublicKey
        /// A secret key is zero or not below the group order r.
        case secretKeyOutOfRange
        /// KeyGen's input keying material is shorter than 32 bytes.
        case keyMaterialTooShort
        /// Aggregation was asked for over an empty list.
        case emptyAggregate
    }

    /// The reason, for code.
    public let kind: Kind
    /// One line, for people.
    public let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    static func wrongLength(_ subject: String, actual: Int, expected: Int) -> BLSError {
        BLSError(.wrongLength, "\(subject) has the wrong length: \(actual) bytes, expected \(expected)")
    }

    static func notCompressed(_ subject: String) -> BLSError {
        BLSError(.notCompressed, "\(subject) is not in compressed form (the compression flag is not set)")
    }

    static func invalidInfinityEncoding(_ subject: String) -> BLSError {
        BLSError(.invalidInfinityEncoding, "\(subject) has the infinity flag set but other bits are not zero")
    }

    static func coordinateNotInField(_ subject: String) -> BLSError {
        BLSError(.coordinateNotInField, "\(subject) has an x coordinate that is not below the field modulus")
    }

    static func notOnCurve(_ subject: String) -> BLSError {
        BLSError(.notOnCurve, "\(subject) is not a point on the curve")
    }

    static func notInSubgroup(_ subject: String, group: String) -> BLSError {
        BLSError(.notInSubgroup, "\(subject) is not in the \(group) subgroup")
    }
}
