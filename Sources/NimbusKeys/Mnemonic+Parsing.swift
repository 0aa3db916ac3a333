import Foundation

extension Mnemonic {
    /// Index of every word of the list.
    static let englishIndex: [String: Int] = Dictionary(
        uniqueKeysWithValues: englishWords.enumerated().map { ($1, $0) })

    /// Index of every word of four letters or more by its first four letters (unique in every BIP-39 list).
    static let englishPrefixIndex: [String: Int] = Dictionary(
        uniqueKeysWithValues: englishWords.enumerated().filter { $1.count >= 4 }.map { (String($1.prefix(4)), $0) })

    /// The list index of each word of `phrase`, or the reason there is none.
    static func wordIndices(of phrase: String) throws(MnemonicError) -> [Int] {
        let words = phrase.decomposedStringWithCompatibilityMapping.lowercased()
            .split(whereSeparator: \.isWhitespace)
        guard allowedWordCounts.contains(words.count) else { throw .wrongWordCount(words.count) }
        var indices: [Int] = []
        var unknown: [MnemonicError.UnknownWord] = []
        for (position, word) in words.enumerated() {
            let text = String(word)
            if let index = englishIndex[text] ?? (text.count == 4 ? englishPrefixIndex[text] : nil) {
                indices.append(index)
            } else {
                // Suggestions help with a typo or two; past a few unknown words the phrase is in another language
                // or garbled, and searching the list for each word would only cost time.
                let suggestions = unknown.count < 4 ? WordSuggester.closest(to: text) : []
                unknown.append(.init(position: position + 1, suggestions: suggestions))
            }
        }
        guard unknown.isEmpty else { throw .unknownWords(unknown) }
        return indices
    }
}
