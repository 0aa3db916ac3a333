// expand_message_xmd with SHA-256 (RFC 9380 section 5.3.1): a message and a domain separation tag to a uniformly
// random byte string of the requested length.

extension BLS {
    /// RFC 9380 section 5.3.3: a DST longer than 255 bytes is replaced by H("H2C-OVERSIZE-DST-" || DST).
    static func reducedDST(_ dst: [UInt8]) -> [UInt8] {
        dst.count > 255 ? HashBackend.sha256(Array("H2C-OVERSIZE-DST-".utf8) + dst) : dst
    }

    /// expand_message_xmd(msg, DST, len_in_bytes) with SHA-256 (RFC 9380 section 5.3.1). `length` must be at most
    /// 255 * 32 = 8160 bytes (the RFC's ell <= 255); a DST over 255 bytes is first hashed (section 5.3.3).
    public static func expandMessageXMD(_ message: [UInt8], dst: [UInt8], length: Int) -> [UInt8] {
        let blockCount = (length + 31) / 32
        precondition(length > 0 && blockCount <= 255 && length <= 65535, "expand_message_xmd length out of range")
        let tag = reducedDST(dst)
        let dstPrime = tag + [UInt8(tag.count)]
        // Z_pad is one SHA-256 input block (64 bytes) of zeros.
        let zeroPad = [UInt8](repeating: 0, count: 64)
        let lengthBytes: [UInt8] = [UInt8(length >> 8), UInt8(length & 0xff)]
        let b0 = HashBackend.sha256(zeroPad + message + lengthBytes + [0] + dstPrime)
        var block = HashBackend.sha256(b0 + [1] + dstPrime)
        var output = block
        output.reserveCapacity(blockCount * 32)
        if blockCount >= 2 {
            for index in 2...blockCount {
                let mixed = zip(b0, block).map { $0 ^ $1 }
                block = HashBackend.sha256(mixed + [UInt8(index)] + dstPrime)
                output += block
            }
        }
        return Array(output.prefix(length))
    }
}
