/// Why a phrase is not a valid BIP-39 English mnemonic. Messages name positions, never words: a mistyped word is
/// usually one letter away from the real one, so quoting it (or its neighbours) would leak the mnemonic into logs.
public enum MnemonicError: Error, Equatable, Sendable {
    /// The phrase has a word count BIP-39 does not allow.
    case wrongWordCount(Int)
    /// Some words (1-based positions) are not in the English word list, not even as a four-letter abbreviation.
    case unknownWords([UnknownWord])
    /// Every word is in the list but the checksum in the last word does not match the others.
    case badChecksum
    /// Entropy given to build a mnemonic is not 128, 160, 192, 224 or 256 bits.
    case invalidEntropyLength(bits: Int)

    /// One word that is not in the list, with the closest words (for an interactive prompt only; never logged).
    public struct UnknownWord: Equatable, Sendable, CustomStringConvertible {
        /// 1-based position in the phrase.
        public let position: Int
        /// Up to three list words closest to what was typed (edit distance), best first, for the first four unknown
        /// words only (more unknown words mean another language or garbled text). These are close to a
        /// secret word: show them to the user who typed it, never put them in a log or an error report.
        public let suggestions: [String]

        public var description: String { "word \(position) (\(suggestions.count) suggestions, redacted)" }
    }
}

extension MnemonicError: CustomStringConvertible {
    /// An actionable message without any word of the mnemonic.
    public var description: String {
        switch self {
        case .wrongWordCount(let count):
            return "the mnemonic has \(count) words; a BIP-39 mnemonic has 12, 15, 18, 21 or 24 words "
                + "(ethstaker-deposit-cli and this tool create 24): check for a missing or extra word"
        case .unknownWords(let words):
            let positions = words.map { String($0.position) }
            let which = positions.count == 1
                ? "word \(positions[0]) is" : "words \(positions.joined(separator: ", ")) are"
            return "\(which) not in the BIP-39 English word list: check the spelling against your written copy "
                + "(the first four letters of each word are enough)"
        case .badChecksum:
            return "the mnemonic's checksum does not match: every word is in the BIP-39 list, but at least one is "
                + "wrong or two are swapped; compare each word and its order with your written copy"
        case .invalidEntropyLength(let bits):
            return "mnemonic entropy must be 128, 160, 192, 224 or 256 bits, not \(bits)"
        }
    }
}
