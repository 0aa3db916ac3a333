// A minimal arbitrary-precision unsigned integer, used only to derive public constants (exponents such as
// (p + 1) / 4 or (p^2 - 1) / 6) from p and r at first use, and by the tests. Never used on secret data.

/// An unsigned integer as little-endian 64-bit words. Variable time; public values only.
struct Natural: Sendable, Equatable, Comparable, CustomStringConvertible {
    private(set) var words: [UInt64]

    init(words: [UInt64]) {
        self.words = words
        normalise()
    }

    init(_ small: UInt64) {
        self.init(words: [small])
    }

    /// Parses big-endian hexadecimal digits, with or without a "0x" prefix.
    init?(hex: String) {
        var digits = Substring(hex)
        if digits.hasPrefix("0x") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty else { return nil }
        var value = Natural(0)
        for character in digits {
            guard let digit = character.hexDigitValue else { return nil }
            value = value * Natural(16) + Natural(UInt64(digit))
        }
        self = value
    }

    private mutating func normalise() {
        while words.count > 1, words.last == 0 { words.removeLast() }
        if words.isEmpty { words = [0] }
    }

    var isZero: Bool { words == [0] }

    var bitWidth: Int {
        let top = words.count - 1
        return top * 64 + (64 - words[top].leadingZeroBitCount)
    }

    func bit(_ index: Int) -> Bool {
        let word = index / 64
        return word < words.count && (words[word] >> UInt64(index % 64)) & 1 == 1
    }

    /// The value padded or truncated to `count` words.
    func words(count: Int) -> [UInt64] {
        (0..<count).map { $0 < words.count ? words[$0] : 0 }
    }

    static func + (a: Natural, b: Natural) -> Natural {
        var result = [UInt64](repeating: 0, count: max(a.words.count, b.words.count) + 1)
        var carry: UInt64 = 0
        for i in 0..<(result.count - 1) {
            let x = i < a.words.count ? a.words[i] : 0
            let y = i < b.words.count ? b.words[i] : 0
            (result[i], carry) = addWithCarry(x, y, carry)
        }
        result[result.count - 1] = carry
        return Natural(words: result)
    }

    /// a - b; a must not be smaller than b.
    static func - (a: Natural, b: Natural) -> Natural {
        precondition(a >= b, "Natural subtraction would go negative")
        var result = a.words
        var borrow: UInt64 = 0
        for i in 0..<result.count {
            let y = i < b.words.count ? b.words[i] : 0
            (result[i], borrow) = subtractWithBorrow(result[i], y, borrow)
        }
        return Natural(words: result)
    }

    static func * (a: Natural, b: Natural) -> Natural {
        var result = [UInt64](repeating: 0, count: a.words.count + b.words.count)
        for i in 0..<a.words.count {
            var carry: UInt64 = 0
            for j in 0..<b.words.count {
                (carry, result[i + j]) = mac(result[i + j], a.words[i], b.words[j], carry)
            }
            result[i + b.words.count] = carry
        }
        return Natural(words: result)
    }

    /// Quotient and remainder by a non-zero Natural (schoolbook, bit by bit: slow, but only for constants).
    func quotientAndRemainder(dividingBy divisor: Natural) -> (quotient: Natural, remainder: Natural) {
        precondition(!divisor.isZero, "division by zero")
        var quotient = [UInt64](repeating: 0, count: words.count)
        var remainder = Natural(0)
        for index in stride(from: bitWidth - 1, through: 0, by: -1) {
            remainder = remainder + remainder + Natural(bit(index) ? 1 : 0)
            if remainder >= divisor {
                remainder = remainder - divisor
                quotient[index / 64] |= 1 << UInt64(index % 64)
            }
        }
        return (Natural(words: quotient), remainder)
    }

    static func / (a: Natural, b: Natural) -> Natural { a.quotientAndRemainder(dividingBy: b).quotient }
    static func % (a: Natural, b: Natural) -> Natural { a.quotientAndRemainder(dividingBy: b).remainder }

    static func < (a: Natural, b: Natural) -> Bool {
        if a.words.count != b.words.count { return a.words.count < b.words.count }
        for i in stride(from: a.words.count - 1, through: 0, by: -1) where a.words[i] != b.words[i] {
            return a.words[i] < b.words[i]
        }
        return false
    }

    var description: String {
        var digits = String(words[words.count - 1], radix: 16)
        for word in words.dropLast().reversed() {
            let chunk = String(word, radix: 16)
            digits += String(repeating: "0", count: 16 - chunk.count) + chunk
        }
        return "0x" + digits
    }
}
