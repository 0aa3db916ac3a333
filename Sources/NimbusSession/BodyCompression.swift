import CNimbusZlib

/// Deflate (zlib format) for response bodies carried through a session: JSON and metrics compress several-fold, so a
/// large answer needs fewer Waku messages. Inflation is bounded, so a malicious or broken peer cannot make the
/// receiver allocate without limit.
public enum BodyCompression {
    /// Bodies smaller than this go as they are (compression would not save a message).
    public static let threshold = 1024
    /// The largest body a receiver inflates.
    public static let maximumInflated = 64 << 20

    /// The compressed body, or nil when compression does not save at least an eighth.
    public static func deflate(_ body: [UInt8]) -> [UInt8]? {
        guard body.count >= threshold else { return nil }
        let capacity = body.count - body.count / 8
        var output = [UInt8](repeating: 0, count: capacity)
        let produced = body.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { nm_deflate(input.baseAddress, input.count, $0.baseAddress, $0.count) }
        }
        guard produced > 0 else { return nil }
        return Array(output.prefix(produced))
    }

    public enum Failure: Error, Equatable, Sendable {
        case corrupt
        case tooLarge
    }

    /// The original body; `expectedSize` (from the head) bounds the work and must match.
    public static func inflate(_ data: [UInt8], expectedSize: Int) throws(Failure) -> [UInt8] {
        guard (0...maximumInflated).contains(expectedSize) else { throw .tooLarge }
        var output = [UInt8](repeating: 0, count: max(expectedSize, 1))
        let produced = data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { nm_inflate(input.baseAddress, input.count, $0.baseAddress, $0.count) }
        }
        if produced == -2 { throw .tooLarge }
        guard produced == expectedSize else { throw .corrupt }
        return Array(output.prefix(produced))
    }
}
