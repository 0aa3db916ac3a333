// libFuzzer target: untrusted keystore files through the EIP-2335 decoder. Built by Fuzz/run with the NimbusKeys
// sources compiled in (instrumented) and the rest (swift-crypto, NimbusKeccak, NimbusBLS) linked from a SwiftPM
// build; any crash or trap is a finding.
//
// Properties checked besides "never traps": a decoded keystore re-encodes to JSON that decodes to the same value,
// and a keystore whose KDF is cheap is decrypted (wrong password, or the right one when the input asks), which
// drives the checksum comparison and AES-CTR over fuzzer-chosen parameters.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKeystoreJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let keystore: Keystore
    do {
        keystore = try KeystoreJSON.decode(bytes)
    } catch {
        _ = error.description
        return 0
    }
    let encoded = KeystoreJSON.encode(keystore)
    guard let again = try? KeystoreJSON.decode(encoded), again == keystore else {
        fatalError("a decoded keystore does not survive encode + decode")
    }
    // Only cheap KDFs: the point is the code around the KDF, not hashing time.
    let cheap = switch keystore.kdf.function {
    case .scrypt(let n, let r, let p): n * r * p <= 4096
    case .pbkdf2(let c): c <= 4096
    }
    if cheap {
        do {
            let secret = try keystore.decrypt(password: "fuzz")
            precondition(secret.count == 32, "a decrypted secret is 32 bytes")
        } catch {
            _ = error.description
        }
    }
    return 0
}
