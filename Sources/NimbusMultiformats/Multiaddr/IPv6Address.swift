/// An IPv6 address as sixteen octets, with the RFC 4291 section 2.2 text forms on input and the RFC 5952
/// canonical form on output.
public struct IPv6Address: Hashable, Sendable, CustomStringConvertible {
    /// The sixteen octets, most significant first (network order).
    public let octets: [UInt8]

    /// An address from its sixteen octets; nil when there are not exactly sixteen.
    public init?<Bytes: Collection<UInt8>>(octets: Bytes) {
        guard octets.count == 16 else { return nil }
        self.octets = Array(octets)
    }

    /// An address from text: eight hex groups, `::` for one run of zero groups, optionally a dotted IPv4 tail
    /// (RFC 4291 section 2.2, forms 1-3). Zone identifiers ("%eth0") are not addresses and are refused.
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        var head = Substring(text)
        var tail: Substring = ""
        var compressed = false
        if let range = Self.doubleColon(in: Substring(text)) {
            compressed = true
            head = text[..<range.lowerBound]
            tail = text[range.upperBound...]
            if Self.doubleColon(in: tail) != nil { return nil }
        }
        guard let headGroups = Self.groups(head, allowIPv4Tail: !compressed),
            let tailGroups = Self.groups(tail, allowIPv4Tail: true)
        else { return nil }
        let total = headGroups.count + tailGroups.count
        var groups: [UInt16]
        if compressed {
            // "::" stands for at least one zero group (RFC 5952 section 4.2.2 forbids it for exactly one, but
            // RFC 4291 allows it, so it is accepted here and never produced).
            guard total <= 7 else { return nil }
            groups = headGroups + [UInt16](repeating: 0, count: 8 - total) + tailGroups
        } else {
            guard total == 8 else { return nil }
            groups = headGroups
        }
        octets = groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// The first "::" (without Foundation, so that the module stays pure and fuzzable on its own).
    private static func doubleColon(in text: Substring) -> Range<String.Index>? {
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            if text[index] == ":" && next < text.endIndex && text[next] == ":" {
                return index..<text.index(after: next)
            }
            index = next
        }
        return nil
    }

    /// Hex groups separated by ":", the last of which may be a dotted IPv4 address (counted as two groups).
    private static func groups(_ text: Substring, allowIPv4Tail: Bool) -> [UInt16]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if index == parts.count - 1, allowIPv4Tail, part.contains(".") {
                guard let ipv4 = IPv4Address(part) else { return nil }
                groups.append(UInt16(ipv4.octets[0]) << 8 | UInt16(ipv4.octets[1]))
                groups.append(UInt16(ipv4.octets[2]) << 8 | UInt16(ipv4.octets[3]))
                continue
            }
            guard (1...4).contains(part.count), let value = UInt16(part, radix: 16),
                part.utf8.allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
            else { return nil }
            groups.append(value)
        }
        return groups
    }

    /// The loopback address ::1.
    public static let loopback = IPv6Address(octets: [UInt8](repeating: 0, count: 15) + [1])!

    /// The unspecified address :: (listen on every interface).
    public static let any = IPv6Address(octets: [UInt8](repeating: 0, count: 16))!

    /// The canonical text (RFC 5952 section 4): lowercase, no leading zeros, the longest run of two or more zero
    /// groups (the first of equal runs) as "::"; IPv4-mapped addresses end in dotted decimal (section 5).
    public var description: String {
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(octets[$0]) << 8 | UInt16(octets[$0 + 1]) }
        if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xFFFF {
            return "::ffff:" + IPv4Address(octets: octets[12...])!.description
        }
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            let start = index
            while index < 8 && groups[index] == 0 { index += 1 }
            if index - start > bestLength {
                bestStart = start
                bestLength = index - start
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}
