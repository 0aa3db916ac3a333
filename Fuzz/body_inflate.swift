// libFuzzer target: bounded inflation of a session answer's body (docs/http_over_waku.md), which a paired host's
// network role (or anything that broke it) controls. The first four bytes choose the announced size (up to 1 MiB
// here); the rest is the zlib data. Inflation must refuse or produce exactly that many bytes, and whatever deflate
// produces must inflate back to its input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard bytes.count >= 4 else { return 0 }
    let announced = Int(bytes[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } & 0xFFFFF)
    let body = Array(bytes[4...])
    if let plain = try? BodyCompression.inflate(body, expectedSize: announced) {
        precondition(plain.count == announced, "inflate produced another size than announced")
    }
    if let packed = BodyCompression.deflate(body) {
        precondition((try? BodyCompression.inflate(packed, expectedSize: body.count)) == body, "deflate does not round-trip")
    }
    return 0
}
