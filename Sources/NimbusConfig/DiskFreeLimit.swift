/// A bound on free disk space, as written in the configuration: a size ("100 GiB", "512 MiB") or a share of the
/// filesystem ("10%"). Encoded as that same text when the supervisor passes the nodes to the network role.
public enum DiskFreeLimit: Sendable, Equatable, Codable, CustomStringConvertible {
    case bytes(UInt64)
    /// A share of the filesystem's size, 0 < percent < 100.
    case percent(Double)

    private static let units: [(String, UInt64)] = [
        ("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("B", 1),
    ]

    /// Parses "10%", "100 GiB", "100GiB", "512 MiB", "4096 B"; nil for anything else (binary units only, so that
    /// "GB" is not silently read as either).
    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces()
        if trimmed.hasSuffix("%") {
            guard let value = Double(trimmed.dropLast().trimmingSpaces()), value > 0, value < 100 else { return nil }
            self = .percent(value)
            return
        }
        for (unit, size) in Self.units where trimmed.hasSuffix(unit) {
            let number = trimmed.dropLast(unit.count).trimmingSpaces()
            guard let count = UInt64(number), count > 0, count <= UInt64.max / size else { return nil }
            self = .bytes(count * size)
            return
        }
        return nil
    }

    public var description: String {
        switch self {
        case let .percent(value):
            return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
        case let .bytes(count):
            let (unit, size) = Self.units.first { count % $0.1 == 0 } ?? ("B", 1)
            return "\(count / size) \(unit)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let limit = DiskFreeLimit(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a disk limit"))
        }
        self = limit
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> Substring {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
