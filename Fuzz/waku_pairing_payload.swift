// libFuzzer target: the pairing QR string (pasted by a person, or scanned) and Noise PayloadV2 (from anyone on a
// public Waku topic). Any input must parse or be refused with a typed error; what parses must re-encode to the same
// bytes, since the QR's bytes are the handshake prologue and a payload has exactly one encoding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let payload = try? NoisePayloadV2.decode(bytes) {
        precondition((try? payload.encoded()) == bytes, "a PayloadV2 does not re-encode to its bytes")
    }
    let text = String(decoding: bytes, as: UTF8.self)
    if let qr = try? WakuPairingQR(parsing: text) {
        precondition((try? WakuPairingQR(parsing: qr.string)) == qr, "a QR does not survive format and parse")
        precondition(qr.contentTopic().hasSuffix("/proto"), "a content topic of the wrong shape")
    }
    if size == 32, let tag = try? MessageNametag(hex: text) {
        precondition(tag.hex == text.lowercased(), "a nametag does not round-trip")
    }
    return 0
}
