import Foundation

/// EIP-2335 password processing: NFKD normalisation, then removal of the C0 (U+0000–U+001F) and C1
/// (U+0080–U+009F) control codes and DEL (U+007F), then UTF-8.
public enum KeystorePassword {
    /// The processed password bytes in secret memory. The `String` argument itself cannot be wiped (see
    /// `SecretBytes`); the normalised intermediate is.
    public static func process(_ password: String) -> SecretBytes {
        let normalised = password.decomposedStringWithCompatibilityMapping
        var bytes: [UInt8] = []
        bytes.reserveCapacity(normalised.utf8.count)
        for scalar in normalised.unicodeScalars where !isControl(scalar) {
            bytes.append(contentsOf: UTF8.encode(scalar)!)
        }
        defer { SecretBytes.wipe(&bytes) }
        return SecretBytes(copying: bytes)
    }

    /// The code points EIP-2335 strips.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
