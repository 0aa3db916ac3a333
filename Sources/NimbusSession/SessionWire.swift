import Crypto
import Foundation
import NimbusHex

/// The outer frames of a session on Waku (docs/http_over_waku.md): handshake messages on the pair's inbox topic,
/// sealed data on the session's topic. Every payload is padded to a size bucket so that sizes say little.
public enum SessionWire {
    public static let version: UInt8 = 1

    public enum Kind: UInt8, Sendable {
        case handshake1 = 1
        case handshake2 = 2
        case data = 3
    }

    /// Payload sizes on the wire: each frame is padded up to the first bucket that holds it.
    public static let buckets = [512, 2048, 8192, 32768, 131072]

    public struct Frame: Sendable, Equatable {
        public var kind: Kind
        public var sessionID: [UInt8]
        public var body: [UInt8]

        public init(kind: Kind, sessionID: [UInt8], body: [UInt8]) {
            precondition(sessionID.count == 16, "a session id is 16 bytes")
            self.kind = kind
            self.sessionID = sessionID
            self.body = body
        }
    }

    public enum Invalid: Error, Equatable, Sendable {
        case tooShort, unsupportedVersion, unknownKind, badLength, badPadding, tooLarge
    }

    /// version, kind, session id (16), body length (u32 BE), body, zero padding to a bucket.
    public static func encode(_ frame: Frame) throws(Invalid) -> [UInt8] {
        let bytes = [version, frame.kind.rawValue] + frame.sessionID + u32(frame.body.count) + frame.body
        guard let bucket = buckets.first(where: { $0 >= bytes.count }) else { throw .tooLarge }
        return bytes + [UInt8](repeating: 0, count: bucket - bytes.count)
    }

    public static func decode(_ payload: [UInt8]) throws(Invalid) -> Frame {
        guard payload.count >= 22 else { throw .tooShort }
        guard buckets.contains(payload.count) else { throw .badPadding }
        guard payload[0] == version else { throw .unsupportedVersion }
        guard let kind = Kind(rawValue: payload[1]) else { throw .unknownKind }
        let length = payload[18..<22].reduce(0) { $0 << 8 | Int($1) }
        guard 22 + length <= payload.count else { throw .badLength }
        // Exactly the first bucket that holds the frame: a larger one would be a second encoding of the same frame.
        guard buckets.first(where: { $0 >= 22 + length }) == payload.count else { throw .badPadding }
        guard payload[(22 + length)...].allSatisfy({ $0 == 0 }) else { throw .badPadding }
        return Frame(kind: kind, sessionID: Array(payload[2..<18]), body: Array(payload[22..<(22 + length)]))
    }

    /// The largest body a frame may carry.
    public static var maximumBody: Int { buckets.last! - 22 }

    static func u32(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// The pair's inbox topic: both static public keys in, so only the two parties can tell whose it is.
    public static func inboxTopic(hostKey: [UInt8], deviceKey: [UInt8]) -> String {
        "/nimbus-nm/1/in-" + hex16(SHA256.hash(data: Array("nimbus-nm session inbox v1".utf8) + hostKey + deviceKey))
            + "/proto"
    }

    /// A session's data topic for one direction (0: device to host, 1: host to device) and epoch (the frame
    /// counter divided by `EstablishedSession.framesPerTopic`): from the handshake hash, so unlinkable to the pair
    /// and to the session's other topics for anyone else.
    public static func sessionTopic(handshakeHash: [UInt8], direction: UInt8, epoch: UInt64) -> String {
        let epochBytes = (0..<8).map { UInt8(truncatingIfNeeded: epoch >> (56 - 8 * UInt64($0))) }
        let digest = SHA256.hash(data: Array("nimbus-nm session topic v2".utf8) + handshakeHash + [direction] + epochBytes)
        return "/nimbus-nm/1/s-" + hex16(digest) + "/proto"
    }

    static func hex16(_ digest: SHA256.Digest) -> String {
        Hex.encode(digest.prefix(8))
    }
}
