import NimbusHex

/// Request ids for the Waku request-response protocols: 16 random bytes as hex, unique enough to match responses
/// to requests; they reveal nothing, since they come from a generator that is not used for secrets.
enum RequestID {
    /// A new request id.
    static func random(using generator: inout SplitMix64) -> String {
        var bytes: [UInt8] = []
        for _ in 0..<2 {
            let word = generator.next()
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return Hex.encode(bytes)
    }
}
