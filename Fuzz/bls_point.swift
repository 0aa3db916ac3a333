// libFuzzer target: BLS12-381 point decoding, the path every public key and signature from outside takes.
// Each input is tried as a compressed G1 point (public key) and a compressed G2 point (signature): by its whole
// bytes, and by its first 48 and first 96 bytes so that the fuzzer reaches the field and curve checks quickly.
// Whatever decodes must re-encode to the same bytes and be in its subgroup; nothing may crash.
// Build (no swift-crypto needed: the module's hashing traps in this build and is never reached here):
//   swiftc -sanitize=fuzzer,address -parse-as-library -O Sources/NimbusBLS/*.swift Fuzz/bls_point.swift

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBLSPoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for candidate in [bytes, Array(bytes.prefix(48))] {
        if let point = try? G1Point(compressed: candidate) {
            precondition(point.compressed == candidate, "G1 re-encoding differs")
            precondition(point.isInSubgroup, "decoded G1 point outside G1")
            if let key = try? PublicKey(compressed: candidate) {
                precondition(!key.point.isIdentity && key.compressed == candidate, "public key invariants")
            } else {
                precondition(point.isIdentity, "a G1 point that is not a valid public key must be the identity")
            }
        }
    }
    for candidate in [bytes, Array(bytes.prefix(96))] {
        if let point = try? G2Point(compressed: candidate) {
            precondition(point.compressed == candidate, "G2 re-encoding differs")
            precondition(point.isInSubgroup, "decoded G2 point outside G2")
            precondition((try? Signature(compressed: candidate))?.point == point, "signature decoding differs")
        }
    }
    return 0
}
