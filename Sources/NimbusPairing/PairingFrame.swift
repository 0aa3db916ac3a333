/// One pairing message (docs/pairing_protocol.md, "Frames"): version, type, sid, a fixed-size body, zero padding to
/// a multiple of 256 bytes.
public struct PairingFrame: Sendable, Equatable {
    public enum Kind: UInt8, Sendable, CaseIterable {
        case hostHello = 1
        case deviceReply = 2
        case hostConfirm = 3
        case deviceIdentity = 4
        case abort = 5
        case hostDone = 6

        /// The body's size: fixed per kind, so the receiver knows where the padding starts.
        var bodyBytes: Int {
            switch self {
            case .hostHello: 32
            case .deviceReply: 64
            case .hostConfirm: 32 + PairingIdentity.plaintextBytes + 16
            case .deviceIdentity: PairingIdentity.plaintextBytes + 16
            case .abort: 1
            case .hostDone: 16
            }
        }
    }

    public enum AbortReason: UInt8, Sendable {
        case codeUsed = 1
        case codeExpired = 2
        case confirmationFailed = 3
        case busy = 4
    }

    public static let version: UInt8 = 1
    public static let headerBytes = 18
    public static let paddingUnit = 256

    public var kind: Kind
    public var sid: [UInt8]
    public var body: [UInt8]

    public init(_ kind: Kind, sid: [UInt8], body: [UInt8]) {
        precondition(sid.count == 16 && body.count == kind.bodyBytes, "pairing frame \(kind) of the wrong size")
        self.kind = kind
        self.sid = sid
        self.body = body
    }

    /// The header, which is also the AEAD's associated data.
    public var header: [UInt8] { [Self.version, kind.rawValue] + sid }

    public func encoded() -> [UInt8] {
        let bytes = header + body
        let padded = (bytes.count + Self.paddingUnit - 1) / Self.paddingUnit * Self.paddingUnit
        return bytes + [UInt8](repeating: 0, count: padded - bytes.count)
    }

    /// Why a payload is not a pairing frame. Receivers drop such payloads without answering.
    public enum Invalid: Error, Equatable, Sendable {
        case tooShort
        case unsupportedVersion(UInt8)
        case unknownKind(UInt8)
        case nonZeroPadding
        case paddingLength
    }

    public static func decode(_ payload: [UInt8]) throws(Invalid) -> PairingFrame {
        guard payload.count >= headerBytes else { throw .tooShort }
        guard payload[0] == version else { throw .unsupportedVersion(payload[0]) }
        guard let kind = Kind(rawValue: payload[1]) else { throw .unknownKind(payload[1]) }
        let end = headerBytes + kind.bodyBytes
        guard payload.count >= end else { throw .tooShort }
        // Exactly the padding the sender must add: anything else is a different frame or an attempt to smuggle.
        guard payload.count == (end + paddingUnit - 1) / paddingUnit * paddingUnit else { throw .paddingLength }
        guard payload[end...].allSatisfy({ $0 == 0 }) else { throw .nonZeroPadding }
        return PairingFrame(kind, sid: Array(payload[2..<headerBytes]), body: Array(payload[headerBytes..<end]))
    }
}

/// A party's identity as pairing exchanges it: its static X25519 public key and a name, in a fixed-size record.
public struct PairingIdentity: Sendable, Equatable {
    public static let maximumNameBytes = 64
    public static let plaintextBytes = 32 + 1 + maximumNameBytes

    public var staticKey: [UInt8]
    public var name: String

    public enum Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        case badKey
        case badName

        public var description: String {
            switch self {
            case .badKey: "the identity's static key is not a usable X25519 public key"
            case .badName: "the identity's name is longer than 64 bytes, not UTF-8, or badly padded"
            }
        }
    }

    public init(staticKey: [UInt8], name: String) throws(Invalid) {
        guard staticKey.count == 32, staticKey.contains(where: { $0 != 0 }) else { throw .badKey }
        let normalised = name.precomposedStringWithCanonicalMappingIfAvailable
        guard normalised.utf8.count <= Self.maximumNameBytes else { throw .badName }
        self.staticKey = staticKey
        self.name = normalised
    }

    public func plaintext() -> [UInt8] {
        let nameBytes = Array(name.utf8)
        return staticKey + [UInt8(nameBytes.count)] + nameBytes
            + [UInt8](repeating: 0, count: Self.maximumNameBytes - nameBytes.count)
    }

    public init(plaintext: [UInt8]) throws(Invalid) {
        guard plaintext.count == Self.plaintextBytes else { throw .badName }
        let length = Int(plaintext[32])
        guard length <= Self.maximumNameBytes else { throw .badName }
        let nameBytes = plaintext[33..<(33 + length)]
        guard plaintext[(33 + length)...].allSatisfy({ $0 == 0 }),
            let name = String(validating: nameBytes, as: UTF8.self)
        else { throw .badName }
        try self.init(staticKey: Array(plaintext[0..<32]), name: name)
    }
}

extension String {
    /// NFC where Foundation is present; the names are display text, so this only keeps comparisons stable.
    var precomposedStringWithCanonicalMappingIfAvailable: String {
        #if canImport(Foundation)
        return _nfc(self)
        #else
        return self
        #endif
    }
}

#if canImport(Foundation)
import Foundation
func _nfc(_ text: String) -> String { text.precomposedStringWithCanonicalMapping }
#endif
