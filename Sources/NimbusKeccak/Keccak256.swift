/// Keccak-256 as Ethereum uses it (the original Keccak padding 0x01, not SHA3-256's 0x06): EIP-55 address
/// checksums and EIP-778 node records. Written here because nothing on the build machines provides it.
public enum Keccak256 {
    private static let rate = 136

    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
        0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]

    /// Rotation offsets of rho, indexed by lane x + 5·y.
    private static let rotations: [UInt64] = [
        0, 1, 62, 28, 27,
        36, 44, 6, 55, 20,
        3, 10, 43, 25, 39,
        41, 45, 15, 21, 8,
        18, 2, 61, 56, 14,
    ]

    /// The 32-byte Keccak-256 digest of `message`.
    public static func hash(_ message: some Collection<UInt8>) -> [UInt8] {
        var state = [UInt64](repeating: 0, count: 25)
        var block = [UInt8]()
        block.reserveCapacity(rate)
        for byte in message {
            block.append(byte)
            if block.count == rate {
                absorb(block, into: &state)
                block.removeAll(keepingCapacity: true)
            }
        }
        // pad10*1 with the Keccak domain bit: 0x01 after the message, 0x80 in the block's last byte.
        block.append(0x01)
        block.append(contentsOf: [UInt8](repeating: 0, count: rate - block.count))
        block[rate - 1] |= 0x80
        absorb(block, into: &state)
        var digest: [UInt8] = []
        for lane in state.prefix(4) {
            for shift in stride(from: 0, to: 64, by: 8) {
                digest.append(UInt8(truncatingIfNeeded: lane >> UInt64(shift)))
            }
        }
        return digest
    }

    private static func absorb(_ block: [UInt8], into state: inout [UInt64]) {
        for lane in 0..<(rate / 8) {
            var value: UInt64 = 0
            for byte in 0..<8 { value |= UInt64(block[lane * 8 + byte]) << UInt64(8 * byte) }
            state[lane] ^= value
        }
        permute(&state)
    }

    /// Keccak-f[1600]: 24 rounds of theta, rho and pi, chi, iota.
    private static func permute(_ a: inout [UInt64]) {
        var b = [UInt64](repeating: 0, count: 25)
        var c = [UInt64](repeating: 0, count: 5)
        for round in 0..<24 {
            for x in 0..<5 { c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] }
            for x in 0..<5 {
                let d = c[(x + 4) % 5] ^ rotate(c[(x + 1) % 5], 1)
                for y in stride(from: 0, to: 25, by: 5) { a[x + y] ^= d }
            }
            // rho and pi: lane (x, y) rotated moves to (y, 2x + 3y).
            for x in 0..<5 {
                for y in 0..<5 {
                    b[y + 5 * ((2 * x + 3 * y) % 5)] = rotate(a[x + 5 * y], rotations[x + 5 * y])
                }
            }
            for y in stride(from: 0, to: 25, by: 5) {
                for x in 0..<5 { a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]) }
            }
            a[0] ^= roundConstants[round]
        }
    }

    private static func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
        count == 0 ? value : (value << count) | (value >> (64 - count))
    }
}
