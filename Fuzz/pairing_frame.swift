// libFuzzer target: pairing frames and identity records (docs/pairing_protocol.md), which arrive from anyone on a
// public Waku topic. Any input must decode or be refused; a decoded frame must re-encode to the same bytes, and an
// identity record of either side's layout must round-trip.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let frame = try? PairingFrame.decode(bytes) {
        precondition(frame.encoded() == bytes, "a pairing frame does not re-encode to its bytes")
    }
    for side in [PairingIdentity.Side.host, .device] where bytes.count >= side.plaintextBytes {
        let record = Array(bytes.prefix(side.plaintextBytes))
        if let identity = try? PairingIdentity(plaintext: record, side: side) {
            precondition(identity.side == side, "an identity decoded as one side's reads as the other's")
            // A record re-encodes to itself unless its name was not in NFC (then the NFC bytes differ). Compared as
            // bytes: Swift's String equality is canonical, so it would call the two names equal.
            let keys = side == .host ? 64 : 32
            let rawName = Array(record[(keys + 1)..<(keys + 1 + Int(record[keys]))])
            precondition(identity.plaintext() == record || Array(identity.name.utf8) != rawName,
                         "an identity record does not round-trip")
        }
    }
    return 0
}
