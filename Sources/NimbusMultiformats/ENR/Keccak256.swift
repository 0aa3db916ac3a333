/// Keccak-256 as Ethereum uses it: the original Keccak submission with the 0x01 padding byte, not NIST
/// SHA3-256 (0x06). EIP-778 hashes node records with it, and node ids are the Keccak-256 of the public key.
public enum Keccak256 {
    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
        0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]
    /// Rotation of each lane visited by the combined rho and pi steps, in visiting order.
    private static let rotations: [UInt64] = [
        1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44,
    ]
    /// The lane each rho-and-pi step moves to.
    private static let piLanes: [Int] = [
        10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1,
    ]
    /// 1600 - 2 * 256 bits.
    private static let rate = 136

    /// The 32-byte Keccak-256 digest of `data`.
    public static func hash<Bytes: Collection<UInt8>>(_ data: Bytes) -> [UInt8] {
        var state = [UInt64](repeating: 0, count: 25)
        var block = Array(data)
        // Multi-rate padding: 0x01 after the message, 0x80 in the last byte of the block (may be the same byte).
        block.append(0x01)
        while block.count % rate != 0 { block.append(0) }
        block[block.count - 1] |= 0x80
        var offset = 0
        while offset < block.count {
            for lane in 0..<(rate / 8) {
                var value: UInt64 = 0
                for byte in 0..<8 { value |= UInt64(block[offset + lane * 8 + byte]) << (8 * UInt64(byte)) }
                state[lane] ^= value
            }
            permute(&state)
            offset += rate
        }
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        for lane in 0..<4 {
            for byte in 0..<8 { digest.append(UInt8(truncatingIfNeeded: state[lane] >> (8 * UInt64(byte)))) }
        }
        return digest
    }

    /// Keccak-f[1600]: 24 rounds of theta, rho, pi, chi and iota.
    private static func permute(_ state: inout [UInt64]) {
        var columns = [UInt64](repeating: 0, count: 5)
        for round in 0..<24 {
            for x in 0..<5 { columns[x] = state[x] ^ state[x + 5] ^ state[x + 10] ^ state[x + 15] ^ state[x + 20] }
            for x in 0..<5 {
                let mix = columns[(x + 4) % 5] ^ rotate(columns[(x + 1) % 5], 1)
                for y in stride(from: 0, to: 25, by: 5) { state[y + x] ^= mix }
            }
            var carried = state[1]
            for step in 0..<24 {
                let lane = piLanes[step]
                let next = state[lane]
                state[lane] = rotate(carried, rotations[step])
                carried = next
            }
            for y in stride(from: 0, to: 25, by: 5) {
                let row = Array(state[y..<(y + 5)])
                for x in 0..<5 { state[y + x] = row[x] ^ (~row[(x + 1) % 5] & row[(x + 2) % 5]) }
            }
            state[0] ^= roundConstants[round]
        }
    }

    private static func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
        value << count | value >> (64 - count)
    }
}
