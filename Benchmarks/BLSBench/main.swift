// Operations per second of SkToPk, Sign and Verify (and the pieces they are made of), for docs/bls.md.
// Build and run in release: `swift build -c release --product BLSBench && .build/release/BLSBench [seconds]`.

import Foundation
import NimbusBLS

/// Runs `body` repeatedly for about `seconds` (after one warm-up call) and returns operations per second.
func measure(_ seconds: Double, _ body: () -> Void) -> Double {
    body()
    let clock = ContinuousClock()
    var iterations = 0
    let start = clock.now
    var elapsed = Duration.zero
    while elapsed < .milliseconds(Int(seconds * 1000)) {
        body()
        iterations += 1
        elapsed = clock.now - start
    }
    let (wholeSeconds, attoseconds) = elapsed.components
    return Double(iterations) / (Double(wholeSeconds) + Double(attoseconds) * 1e-18)
}

let seconds = CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 3 : 3
let key = try SecretKey.keyGen(ikm: [UInt8](repeating: 0x42, count: 32))
let publicKey = key.publicKey()
let message = [UInt8](repeating: 0xab, count: 32)
let signature = key.sign(message)
precondition(signature.verify(message, publicKey: publicKey), "self-check failed")
let dst = Array(BLS.ciphersuite.utf8)
let compressedSignature = signature.compressed
let compressedKey = publicKey.compressed

var sink = 0
let rows: [(String, () -> Void)] = [
    ("SkToPk", { sink &+= Int(key.publicKey().compressed[1]) }),
    ("Sign", { sink &+= Int(key.sign(message).compressed[1]) }),
    ("Verify", { sink &+= signature.verify(message, publicKey: publicKey) ? 1 : 0 }),
    ("hash_to_G2", { sink &+= BLS.hashToG2(message, dst: dst).isIdentity ? 1 : 0 }),
    ("PublicKey decode (KeyValidate)", { sink &+= (try? PublicKey(compressed: compressedKey)) == nil ? 0 : 1 }),
    ("Signature decode (subgroup check)", {
        sink &+= (try? Signature(compressed: compressedSignature)) == nil ? 0 : 1
    }),
]
print("operation,ops_per_second,microseconds_per_op")
for (name, body) in rows {
    let rate = measure(seconds, body)
    print("\(name),\(String(format: "%.1f", rate)),\(String(format: "%.1f", 1e6 / rate))")
}
if sink == 42 { print("") }
