// The compressed point encoding of the ZCash BLS12-381 serialization format, which draft-irtf-cfrg-pairing-friendly-
// curves (appendix C) and the Ethereum consensus specifications adopt: the big-endian x coordinate (for F_p2,
// c1 then c0) with three flags in the top bits of the first byte, which p < 2^381 leaves free.

/// Flag handling shared by G1 (48-byte) and G2 (96-byte) compressed encodings.
enum PointEncoding {
    /// Set in every compressed encoding.
    static let compressionFlag: UInt8 = 0x80
    /// Set for the point at infinity, whose other bits must then all be zero.
    static let infinityFlag: UInt8 = 0x40
    /// Set when y is the lexicographically largest of the two square roots.
    static let signFlag: UInt8 = 0x20

    /// The result of reading the flags: the identity, or x's bytes (flags cleared) and y's sign.
    enum Parsed {
        case identity
        case point(xBytes: [UInt8], yIsLargest: Bool)
    }

    /// Checks the length and flags of a compressed encoding.
    static func parse(_ bytes: [UInt8], length: Int, subject: String) throws(BLSError) -> Parsed {
        guard bytes.count == length else {
            throw BLSError.wrongLength(subject, actual: bytes.count, expected: length)
        }
        let flags = bytes[0]
        guard flags & compressionFlag != 0 else { throw BLSError.notCompressed(subject) }
        if flags & infinityFlag != 0 {
            // Infinity is exactly 0xc0 followed by zero bytes: no sign flag, no coordinate bits.
            guard flags == compressionFlag | infinityFlag, bytes.dropFirst().allSatisfy({ $0 == 0 }) else {
                throw BLSError.invalidInfinityEncoding(subject)
            }
            return .identity
        }
        var xBytes = bytes
        xBytes[0] &= 0x1f
        return .point(xBytes: xBytes, yIsLargest: flags & signFlag != 0)
    }

    /// The compressed encoding of a point with the given x bytes and y sign.
    static func compressed(xBytes: [UInt8], yIsLargest: Bool) -> [UInt8] {
        var bytes = xBytes
        bytes[0] |= compressionFlag | (yIsLargest ? signFlag : 0)
        return bytes
    }

    /// The compressed encoding of the point at infinity.
    static func compressedIdentity(length: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: length)
        bytes[0] = compressionFlag | infinityFlag
        return bytes
    }
}
