/// A parsed Prometheus text exposition (format 0.0.4), as Nimbus serves it on `/metrics`.
///
/// The parser is strict about structure (a malformed line is an error naming its line number) and bounded
/// (`Limits`), because the bytes come from another process over HTTP. Pure: no I/O.
public struct PrometheusText: Sendable, Equatable {
    /// One sample line.
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
        /// Milliseconds since the epoch, when the line carries one.
        public var timestamp: Int64?

        public init(name: String, labels: [String: String] = [:], value: Double, timestamp: Int64? = nil) {
            self.name = name
            self.labels = labels
            self.value = value
            self.timestamp = timestamp
        }
    }

    /// How much text a scrape may hold; Nimbus serves a few hundred kilobytes at most.
    public struct Limits: Sendable {
        public var maximumBytes = 8 << 20
        public var maximumLineLength = 64 << 10
        public var maximumSamples = 200_000
        public var maximumLabels = 64

        public init() {}
    }

    /// Why a scrape was refused: the line and what is wrong with it.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String

        public var description: String { line > 0 ? "metrics line \(line): \(reason)" : "metrics: \(reason)" }
    }

    public private(set) var samples: [Sample] = []
    /// `# TYPE` declarations by metric family.
    public private(set) var types: [String: String] = [:]

    /// Parses exposition text.
    public init(parsing text: String, limits: Limits = Limits()) throws(ParseError) {
        guard text.utf8.count <= limits.maximumBytes else {
            throw ParseError(line: 0, reason: "exposition of \(text.utf8.count) bytes exceeds \(limits.maximumBytes)")
        }
        var number = 0
        // "\r\n" is a single Character in Swift, so both line ends are separators here.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            guard line.utf8.count <= limits.maximumLineLength else {
                throw ParseError(line: number, reason: "line longer than \(limits.maximumLineLength) bytes")
            }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty { continue }
            if trimmed.first == "#" {
                try parseComment(trimmed.dropFirst(), line: number)
                continue
            }
            guard samples.count < limits.maximumSamples else {
                throw ParseError(line: number, reason: "more than \(limits.maximumSamples) samples")
            }
            samples.append(try Self.parseSample(Substring(trimmed), line: number, limits: limits))
        }
    }

    /// The first sample of `name` whose labels include `labels`.
    public func value(_ name: String, labels: [String: String] = [:]) -> Double? {
        samples.first { sample in
            sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value }
        }?.value
    }

    /// Every sample of `name`.
    public func all(_ name: String) -> [Sample] {
        samples.filter { $0.name == name }
    }

    private mutating func parseComment(_ body: Substring, line: Int) throws(ParseError) {
        let words = body.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
        guard words.count >= 2, words[0] == "TYPE" || words[0] == "HELP" else { return }  // free comment
        guard Self.isMetricName(words[1]) else { throw ParseError(line: line, reason: "invalid metric name in \(words[0])") }
        if words[0] == "TYPE" {
            guard words.count == 3 else { throw ParseError(line: line, reason: "TYPE needs a name and a type") }
            let type = String(words[2])
            guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(type) else {
                throw ParseError(line: line, reason: "unknown metric type \(type.prefix(32))")
            }
            types[String(words[1])] = type
        }
    }

    static func parseSample(_ line: Substring, line number: Int, limits: Limits) throws(ParseError) -> Sample {
        var rest = line[...]
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " || $0 == "\t" } ?? rest.endIndex
        let name = rest[..<nameEnd]
        guard isMetricName(name) else { throw ParseError(line: number, reason: "invalid metric name") }
        rest = rest[nameEnd...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            labels = try parseLabels(&rest, line: number, limits: limits)
        }
        let fields = rest.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 1 || fields.count == 2 else {
            throw ParseError(line: number, reason: "expected a value and an optional timestamp after \(name)")
        }
        guard let value = parseValue(fields[0]) else {
            throw ParseError(line: number, reason: "invalid value for \(name)")
        }
        var timestamp: Int64?
        if fields.count == 2 {
            guard let stamp = Int64(fields[1]) else { throw ParseError(line: number, reason: "invalid timestamp") }
            timestamp = stamp
        }
        return Sample(name: String(name), labels: labels, value: value, timestamp: timestamp)
    }

    private static func parseLabels(
        _ rest: inout Substring, line number: Int, limits: Limits
    ) throws(ParseError) -> [String: String] {
        var labels: [String: String] = [:]
        while true {
            rest = rest.drop { $0 == " " }
            if rest.first == "}" {
                rest = rest.dropFirst()
                return labels
            }
            guard let equals = rest.firstIndex(of: "=") else { throw ParseError(line: number, reason: "label without '='") }
            let key = rest[..<equals].trimmingSpaces()
            guard isLabelName(key) else { throw ParseError(line: number, reason: "invalid label name") }
            rest = rest[rest.index(after: equals)...].drop { $0 == " " }
            guard rest.first == "\"" else { throw ParseError(line: number, reason: "label value must be quoted") }
            rest = rest.dropFirst()
            var value = ""
            var closed = false
            while let character = rest.first {
                rest = rest.dropFirst()
                if character == "\"" {
                    closed = true
                    break
                }
                if character == "\\" {
                    guard let escaped = rest.first else { break }
                    rest = rest.dropFirst()
                    switch escaped {
                    case "\\": value.append("\\")
                    case "\"": value.append("\"")
                    case "n": value.append("\n")
                    default: throw ParseError(line: number, reason: "invalid escape in a label value")
                    }
                } else {
                    value.append(character)
                }
            }
            guard closed else { throw ParseError(line: number, reason: "unterminated label value") }
            guard labels[String(key)] == nil else { throw ParseError(line: number, reason: "label \(key) repeated") }
            labels[String(key)] = value
            guard labels.count <= limits.maximumLabels else { throw ParseError(line: number, reason: "too many labels") }
            rest = rest.drop { $0 == " " }
            if rest.first == "," {
                rest = rest.dropFirst()
            } else if rest.first != "}" {
                throw ParseError(line: number, reason: "expected ',' or '}' after a label")
            }
        }
    }

    static func parseValue(_ text: Substring) -> Double? {
        switch text {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default:
            // Double(_:) would also accept "inf", "nan" and hex floats; the format allows plain decimals only.
            guard text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return nil }
            return Double(text)
        }
    }

    static func isMetricName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 256 else { return false }
        let isStart = { (c: Unicode.Scalar) in (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" || c == ":" }
        return isStart(first) && name.unicodeScalars.allSatisfy { isStart($0) || ($0 >= "0" && $0 <= "9") }
    }

    static func isLabelName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 256 else { return false }
        let isStart = { (c: Unicode.Scalar) in (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" }
        return isStart(first) && name.unicodeScalars.allSatisfy { isStart($0) || ($0 >= "0" && $0 <= "9") }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var trimmed = self
        while trimmed.first == " " { trimmed = trimmed.dropFirst() }
        while trimmed.last == " " { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
