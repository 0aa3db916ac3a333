/// A content topic in the autosharding format (WAKU2-RELAY-SHARDING, "Content Topics Format for Autosharding";
/// 23/WAKU2-TOPICS): `/{application}/{version}/{topic-name}/{encoding}`, optionally prefixed by a generation,
/// `/{generation}/{application}/{version}/{topic-name}/{encoding}`.
public struct ContentTopic: Hashable, Sendable, CustomStringConvertible {
    /// The generation prefix, nil when omitted (generation 0 applies).
    public let generation: Int?
    /// The application name; with `version`, it alone decides the shard.
    public let application: String
    /// The application version.
    public let version: String
    /// The topic name (filtering only: it does not affect routing).
    public let name: String
    /// The payload encoding, e.g. `proto`.
    public let encoding: String

    /// Parses a content topic; every part must be non-empty.
    public init(_ text: String) throws(ContentTopicError) {
        guard text.utf8.first == UInt8(ascii: "/") else { throw .mustStartWithSlash }
        let parts = text.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        let named: ArraySlice<String>
        switch parts.count {
        case 4:
            generation = nil
            named = parts[...]
        case 5:
            guard let value = Int(parts[0]), value >= 0, parts[0].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw .invalidGeneration(parts[0])
            }
            generation = value
            named = parts.dropFirst()
        default:
            throw .wrongNumberOfParts(parts.count)
        }
        let names = ["application", "version", "topic-name", "encoding"]
        for (part, label) in zip(named, names) where part.isEmpty { throw .emptyPart(label) }
        application = named[named.startIndex]
        version = named[named.startIndex + 1]
        name = named[named.startIndex + 2]
        encoding = named[named.startIndex + 3]
    }

    /// The canonical text, with the generation prefix only if the topic had one.
    public var description: String {
        let prefix = generation.map { "/\($0)" } ?? ""
        return "\(prefix)/\(application)/\(version)/\(name)/\(encoding)"
    }
}

/// Why a string is not an autosharding content topic.
public enum ContentTopicError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The topic does not start with "/".
    case mustStartWithSlash
    /// Not 4 parts (or 5 with a generation).
    case wrongNumberOfParts(Int)
    /// A part is empty.
    case emptyPart(String)
    /// The generation prefix is not a non-negative decimal number.
    case invalidGeneration(String)
    /// A generation this node has no shard layout for (only generation 0 is defined).
    case unsupportedGeneration(Int)

    /// A reason a user can act on.
    public var description: String {
        switch self {
        case .mustStartWithSlash: "a content topic must start with '/'"
        case .wrongNumberOfParts(let count):
            "a content topic has the form /{application}/{version}/{topic-name}/{encoding}, optionally with a "
                + "/{generation} prefix; this one has \(count) parts"
        case .emptyPart(let part): "the content topic's \(part) is empty"
        case .invalidGeneration(let text): "content topic generation '\(text)' is not a number"
        case .unsupportedGeneration(let value): "content topic generation \(value) is not supported (only 0)"
        }
    }
}
