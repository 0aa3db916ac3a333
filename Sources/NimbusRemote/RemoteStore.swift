import Crypto
import Foundation
import NimbusHex
import NimbusPairing

/// The remote client's files: `identity.key` (its X25519 static key, 0600) and `hosts.json` (pinned hosts).
public struct RemoteStore: Sendable {
    public let directory: String

    public struct PinnedHost: Codable, Sendable {
        public var name: String
        public var staticKey: String
        /// The host's signer's channel key (hex), learnt in a code pairing (docs/pairing_protocol.md). Nil for a host
        /// paired by QR (43/WAKU2-DEVICE-PAIRING), which carries no such key, and in files written before it existed.
        public var signerKey: String?
        public var pairedAt: String
    }

    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    public func publicKey() throws -> [UInt8] {
        Array(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: privateKey()).publicKey.rawRepresentation)
    }

    /// The client's X25519 private key, created on first use.
    public func privateKey() throws -> [UInt8] {
        let path = directory + "/identity.key"
        if let data = FileManager.default.contents(atPath: path) { return [UInt8](data) }
        let key = Curve25519.KeyAgreement.PrivateKey()
        guard FileManager.default.createFile(atPath: path, contents: key.rawRepresentation, attributes: [.posixPermissions: 0o600]) else {
            throw RemoteError("cannot create \(path)")
        }
        return Array(key.rawRepresentation)
    }

    public func hosts() throws -> [PinnedHost] {
        guard let data = FileManager.default.contents(atPath: directory + "/hosts.json") else { return [] }
        return try JSONDecoder().decode([PinnedHost].self, from: data)
    }

    public func pin(_ host: PairingIdentity) throws {
        var hosts = try hosts()
        let formatter = ISO8601DateFormatter()
        hosts.append(PinnedHost(name: host.name, staticKey: Hex.encode(host.staticKey), signerKey: host.signerKey.map(Hex.encode),
                                pairedAt: formatter.string(from: Date())))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let path = directory + "/hosts.json"
        try encoder.encode(hosts).write(to: URL(fileURLWithPath: path), options: .atomic)
        chmod(path, 0o600)
    }
}

/// Why a remote operation failed, in words for the person running it.
public struct RemoteError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
