/// Finds the list words closest to a mistyped one, for the "did you mean" of an interactive prompt.
enum WordSuggester {
    /// Words longer than this get no suggestions: no list word is that long, and it bounds the work on hostile input.
    static let maximumLength = 16

    /// Up to `limit` words of the English list within edit distance 2 of `typed` (or sharing its first four
    /// letters), nearest first, then in list order.
    static func closest(to typed: String, limit: Int = 3) -> [String] {
        let input = Array(typed.unicodeScalars)
        guard !input.isEmpty, input.count <= maximumLength else { return [] }
        var scored: [(distance: Int, index: Int)] = []
        for (index, word) in Mnemonic.englishWords.enumerated() {
            let candidate = Array(word.unicodeScalars)
            var distance = editDistance(input, candidate)
            if distance > 2, input.count >= 4, candidate.count >= 4, input.prefix(4) == candidate.prefix(4) {
                distance = 2
            }
            if distance <= 2 { scored.append((distance, index)) }
        }
        scored.sort { ($0.distance, $0.index) < ($1.distance, $1.index) }
        return scored.prefix(limit).map { Mnemonic.englishWords[$0.index] }
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent transpositions
    /// (the usual typing mistakes) each count one.
    static func editDistance(_ lhs: [Unicode.Scalar], _ rhs: [Unicode.Scalar]) -> Int {
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        var previous2 = [Int](repeating: 0, count: rhs.count + 1)
        var previous = Array(0...rhs.count)
        var current = [Int](repeating: 0, count: rhs.count + 1)
        for i in 1...lhs.count {
            current[0] = i
            for j in 1...rhs.count {
                let cost = lhs[i - 1] == rhs[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, lhs[i - 1] == rhs[j - 2], lhs[i - 2] == rhs[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[rhs.count]
    }
}
