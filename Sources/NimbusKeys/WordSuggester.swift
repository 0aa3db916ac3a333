/// Finds the list words closest to a mistyped one, for the "did you mean" of an interactive prompt.
enum WordSuggester {
    /// Words longer than this get no suggestions: no list word is that long, and it bounds the work on hostile input.
    static let maximumLength = 16

    /// The English list as Unicode scalar values, built once.
    private static let englishScalars: [[UInt32]] = Mnemonic.englishWords.map { $0.unicodeScalars.map(\.value) }

    /// Each list word's set of letters as a bit mask (bit 0 = "a").
    private static let englishLetterMasks: [UInt32] = englishScalars.map(letterMask)

    /// The letters a–z of `scalars` as a bit mask; any other character sets bit 26.
    static func letterMask(_ scalars: [UInt32]) -> UInt32 {
        scalars.reduce(0) { mask, value in
            mask | ((97...122).contains(value) ? 1 << (value - 97) : 1 << 26)
        }
    }

    /// Up to `limit` words of the English list within edit distance 2 of `typed` (or sharing its first four
    /// letters), nearest first, then in list order.
    static func closest(to typed: String, limit: Int = 3) -> [String] {
        let input = typed.unicodeScalars.map(\.value)
        guard !input.isEmpty, input.count <= maximumLength else { return [] }
        var scored: [(distance: Int, index: Int)] = []
        var rows = EditRows(width: 9)
        let inputMask = letterMask(input)
        for (index, candidate) in englishScalars.enumerated() {
            var distance = 3
            // Cheap necessary conditions for distance ≤ 2 before the table: lengths differ by at most 2, and each
            // side has at most 2 letters the other lacks (every edit brings in at most one new letter).
            let candidateMask = englishLetterMasks[index]
            if abs(candidate.count - input.count) <= 2,
               (inputMask & ~candidateMask).nonzeroBitCount <= 2,
               (candidateMask & ~inputMask).nonzeroBitCount <= 2 {
                distance = editDistance(input, candidate, rows: &rows)
            }
            if distance > 2, input.count >= 4, candidate.count >= 4, input.prefix(4) == candidate.prefix(4) {
                distance = 2
            }
            if distance <= 2 { scored.append((distance, index)) }
        }
        scored.sort { ($0.distance, $0.index) < ($1.distance, $1.index) }
        return scored.prefix(limit).map { Mnemonic.englishWords[$0.index] }
    }

    /// Three reusable rows of the distance table.
    struct EditRows {
        var previous2: [Int]
        var previous: [Int]
        var current: [Int]

        init(width: Int) {
            previous2 = [Int](repeating: 0, count: width)
            previous = previous2
            current = previous2
        }
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent transpositions
    /// (the usual typing mistakes) each count one. `rhs` is a list word (at most 8 letters).
    static func editDistance(_ lhs: [UInt32], _ rhs: [UInt32], rows: inout EditRows) -> Int {
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        if rows.previous.count < rhs.count + 1 { rows = EditRows(width: rhs.count + 1) }
        for j in 0...rhs.count { rows.previous[j] = j }
        for i in 1...lhs.count {
            rows.current[0] = i
            for j in 1...rhs.count {
                let cost = lhs[i - 1] == rhs[j - 1] ? 0 : 1
                var value = min(rows.previous[j] + 1, rows.current[j - 1] + 1, rows.previous[j - 1] + cost)
                if i > 1, j > 1, lhs[i - 1] == rhs[j - 2], lhs[i - 2] == rhs[j - 1] {
                    value = min(value, rows.previous2[j - 2] + 1)
                }
                rows.current[j] = value
            }
            swap(&rows.previous2, &rows.previous)
            swap(&rows.previous, &rows.current)
        }
        return rows.previous[rhs.count]
    }
}
