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
            case .hostConfirm: 32 + PairingIdentity.Side.host.plaintextBytes + 16
            case .deviceIdentity: PairingIdentity.Side.device.plaintextBytes + 16
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

/// A party's identity as pairing exchanges it (docs/pairing_protocol.md, "The identities"): its static X25519 public
/// key and a name in a fixed-size record; a host's also carries the signer's channel key, which the device pins so that
/// it can later reach the signer itself rather than only the network role that holds the static key.
public struct PairingIdentity: Sendable, Equatable {
    public static let maximumNameBytes = 64

    /// Which party an identity belongs to. The layouts differ, so a receiver must say which one it expects.
    public enum Side: Sendable, Equatable {
        case host
        case device

        /// Fixed per side so that a frame's size reveals nothing about the name.
        public var plaintextBytes: Int {
            switch self {
            case .host: 32 + 32 + 1 + PairingIdentity.maximumNameBytes
            case .device: 32 + 1 + PairingIdentity.maximumNameBytes
            }
        }
    }

    /// The key the pairing's later sessions use: for a host, the network role's session key.
    public var staticKey: [UInt8]
    /// A host's signer process's long-term X25519 channel key; nil for a device.
    public var signerKey: [UInt8]?
    public var name: String

    public var side: Side { signerKey == nil ? .device : .host }

    public enum Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        case badKey
        case badSignerKey
        case sameKeys
        case badName
        case wrongSize
        case wrongSide

        public var description: String {
            switch self {
            case .badKey: "the identity's static key is not a usable X25519 public key"
            case .badSignerKey: "the identity's signer key is not a usable X25519 public key"
            case .sameKeys: "the identity's signer key is its static key; they must be different keys"
            case .badName: "the identity's name is longer than 64 bytes, not UTF-8, or badly padded"
            case .wrongSize: "the identity is not the size its side's identity has"
            case .wrongSide: "a host's identity needs a signer key and a device's identity has none"
            }
        }
    }

    /// A device's identity, or a host's when `signerKey` is given.
    public init(staticKey: [UInt8], signerKey: [UInt8]? = nil, name: String) throws(Invalid) {
        guard Self.isUsableKey(staticKey) else { throw .badKey }
        if let signerKey {
            guard Self.isUsableKey(signerKey) else { throw .badSignerKey }
            // Two processes hold these keys; the same key in both places would mean one of them holds the other's
            // secret, and a channel "to the signer" would then be readable by the network role.
            guard signerKey != staticKey else { throw .sameKeys }
        }
        let normalised = name.precomposedStringWithCanonicalMappingIfAvailable
        guard normalised.utf8.count <= Self.maximumNameBytes else { throw .badName }
        self.staticKey = staticKey
        self.signerKey = signerKey
        self.name = normalised
    }

    /// An all-zero key would make every Diffie-Hellman with it zero: the one public value X25519 has no use for.
    private static func isUsableKey(_ key: [UInt8]) -> Bool {
        key.count == 32 && key.contains(where: { $0 != 0 })
    }

    public func plaintext() -> [UInt8] {
        let nameBytes = Array(name.utf8)
        return staticKey + (signerKey ?? []) + [UInt8(nameBytes.count)] + nameBytes
            + [UInt8](repeating: 0, count: Self.maximumNameBytes - nameBytes.count)
    }

    /// Decodes what the other party sent; `side` is that party's side, which the receiver knows from its own role.
    public init(plaintext: [UInt8], side: Side) throws(Invalid) {
        guard plaintext.count == side.plaintextBytes else { throw .wrongSize }
        let keys = side == .host ? 64 : 32
        let length = Int(plaintext[keys])
        guard length <= Self.maximumNameBytes else { throw .badName }
        let nameBytes = plaintext[(keys + 1)..<(keys + 1 + length)]
        guard plaintext[(keys + 1 + length)...].allSatisfy({ $0 == 0 }),
            let name = String(validating: nameBytes, as: UTF8.self)
        else { throw .badName }
        try self.init(
            staticKey: Array(plaintext[0..<32]), signerKey: side == .host ? Array(plaintext[32..<64]) : nil, name: name)
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
