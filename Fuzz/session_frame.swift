// libFuzzer target: the session layer's outer frames (SessionWire) and the HTTP frames inside them, which arrive
// from anyone on a Waku topic (outer) or from a paired device after decryption (inner). Any input must decode or be
// refused; a decoded frame must re-encode to the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let frame = try? SessionWire.decode(bytes) {
        precondition((try? SessionWire.encode(frame)) == bytes, "a session frame does not re-encode to its bytes")
    }
    if let frame = try? HTTPFrame.decode(bytes) {
        precondition(frame.encoded() == bytes, "an HTTP frame does not re-encode to its bytes")
    }
    return 0
}
