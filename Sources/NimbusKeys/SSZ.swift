import Crypto

/// The few SSZ hash_tree_root rules deposits need: fixed-size byte vectors, uint64, and containers of them.
enum SSZ {
    /// SHA-256 of the 64 bytes `left || right`.
    static func hash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// merkleize: pad the 32-byte chunks with zero chunks to a power of two, then hash pairs up to one root.
    static func merkleize(_ chunks: [[UInt8]]) -> [UInt8] {
        var layer = chunks.isEmpty ? [zeroChunk] : chunks
        var width = 1
        while width < layer.count { width <<= 1 }
        layer += [[UInt8]](repeating: zeroChunk, count: width - layer.count)
        while layer.count > 1 {
            layer = stride(from: 0, to: layer.count, by: 2).map { hash(layer[$0], layer[$0 + 1]) }
        }
        return layer[0]
    }

    static let zeroChunk = [UInt8](repeating: 0, count: 32)

    /// hash_tree_root of a fixed-length byte vector (Bytes4, Bytes32, Bytes48, Bytes96): pack into 32-byte chunks.
    static func root(ofVector bytes: [UInt8]) -> [UInt8] {
        let padded = bytes + [UInt8](repeating: 0, count: (32 - bytes.count % 32) % 32)
        return merkleize(stride(from: 0, to: padded.count, by: 32).map { Array(padded[$0..<$0 + 32]) })
    }

    /// hash_tree_root of a uint64: little-endian, zero-padded to one chunk.
    static func root(ofUInt64 value: UInt64) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) } + [UInt8](repeating: 0, count: 24)
    }
}
