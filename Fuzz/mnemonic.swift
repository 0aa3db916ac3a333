// libFuzzer target: untrusted text (typed or pasted mnemonics) through BIP-39 parsing, word suggestions and
// checksum validation. Built by Fuzz/run with the NimbusKeys sources compiled in (instrumented) and the rest
// (swift-crypto, NimbusKeccak, NimbusBLS) linked from a SwiftPM build; any crash or trap is a finding.
//
// Properties checked besides "never traps": an accepted phrase re-serialises to words that parse to the same
// entropy; an error message depends on word positions only (never on a typed or suggested word). The same text is
// also parsed as a derivation path.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMnemonic(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? DerivationPath(parsing: text)
    do {
        let mnemonic = try Mnemonic(phrase: text)
        let again = try Mnemonic(phrase: mnemonic.words.joined(separator: " "))
        precondition(again.entropy.constantTimeEquals(mnemonic.entropy), "mnemonic round trip changed the entropy")
    } catch {
        let message = error.description
        if case .unknownWords(let words) = error {
            for word in words {
                precondition(word.position >= 1 && word.suggestions.count <= 3, "suggestion bounds")
            }
            // The message must depend on the positions alone, never on what was typed or suggested.
            let positionsOnly = words.map { MnemonicError.UnknownWord(position: $0.position, suggestions: []) }
            precondition(MnemonicError.unknownWords(positionsOnly).description == message, "a message quotes a word")
        }
    }
    return 0
}
