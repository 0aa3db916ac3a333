// libFuzzer target: pairing frames and identity records (docs/pairing_protocol.md), which arrive from anyone on a
// public Waku topic. Any input must decode or be refused; a decoded frame must re-encode to the same bytes, and an
// identity record must round-trip.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let frame = try? PairingFrame.decode(bytes) {
        precondition(frame.encoded() == bytes, "a pairing frame does not re-encode to its bytes")
    }
    if bytes.count >= PairingIdentity.plaintextBytes,
        let identity = try? PairingIdentity(plaintext: Array(bytes.prefix(PairingIdentity.plaintextBytes)))
    {
        precondition(identity.plaintext() == Array(bytes.prefix(PairingIdentity.plaintextBytes))
            || identity.name != String(decoding: bytes[33..<(33 + Int(bytes[32]))], as: UTF8.self),
            "an identity record does not round-trip")
    }
    return 0
}
