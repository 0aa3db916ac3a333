import Testing
import NimbusHex

@testable import NimbusMultiformats

/// Expected ids and signatures were produced by py-libp2p 0.8.1 (`ID.from_pubkey`, `PrivateKey.sign`) from the
/// same keys.
@Suite struct PeerIDTests {
    static let ed25519Key = "0801122003a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
    static let ed25519Peer = "12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB"
    static let ed25519Signature =
        "e1a7fca94a835127885b99e2eba733d6ee5bf5dc463ed8385eb6f1dcaa1117c0"
        + "f151750a10f46f5b3796a91203578f702c85c67c334b5689a516284d499f710f"
    static let secp256k1Key = "08021221031b84c5567b126440995d3ed5aaba0565d71e1834604819ff9c17f5e9d5dd078f"
    static let secp256k1Peer = "16Uiu2HAmEWQnHq2jLKJypwVnVoQeFCULuyop6atvq2eWjYSUjzNi"
    static let secp256k1Signature =
        "3045022100d13b19c8baa53851839efe1fe790b6f6d51028400902bb79d2fa50c65295e0ed"
        + "0220697d0a44907237350d71ab31d6adbc973749cf2c2d1f4096b765c65be58cfca9"
    static let rsaKey =
        "080012a20130819f300d06092a864886f70d010101050003818d0030818902818100dc19632b8ba7b20028a64c"
        + "471faf41ba52a607d5507333354013e084b5e3ebbe73a5e1869b7aabbad28809653cbec411742e6912201c1e339fa49a86a641"
        + "63a914571ddccf6203e24758d2b20cfc3fcb4812b4e337e5de4646d1614eb5593f2e236d68a0bd9c2e8f4cb797cb54129e9e21"
        + "66f4ded1e40f69358ab6d63e9791010203010001"
    static let rsaPeer = "QmSznVFRKwyyEkQNHZG5aPWjkgy5o34fosEupcEX6wgAKA"

    @Test(arguments: [(ed25519Key, ed25519Peer), (secp256k1Key, secp256k1Peer), (rsaKey, rsaPeer)])
    func peerIDFromKey(keyHex: String, peerText: String) throws {
        let key = try Libp2pPublicKey(protobuf: Hex.decode(keyHex)!)
        #expect(key.protobuf == Hex.decode(keyHex))
        let peer = PeerID(publicKey: key)
        #expect(peer.description == peerText)
        #expect(try PeerID(peerText) == peer)
        #expect(peer.matches(key))
        // Small keys are inline; RSA ids are hashes and carry no key.
        #expect(peer.inlinePublicKey == (key.keyType == .rsa ? nil : key))
    }

    @Test func signaturesFromPyLibp2pVerify() throws {
        let message = Array("hello".utf8)
        let ed = try Libp2pPublicKey(protobuf: Hex.decode(Self.ed25519Key)!)
        #expect(ed.isValidSignature(Hex.decode(Self.ed25519Signature)!, for: message))
        #expect(!ed.isValidSignature(Hex.decode(Self.ed25519Signature)!, for: Array("hellO".utf8)))
        let secp = try Libp2pPublicKey(protobuf: Hex.decode(Self.secp256k1Key)!)
        #expect(secp.isValidSignature(Hex.decode(Self.secp256k1Signature)!, for: message))
        #expect(!secp.isValidSignature(Hex.decode(Self.secp256k1Signature)!, for: Array("hellO".utf8)))
        #expect(!secp.isValidSignature([0x30, 0x00], for: message))
        let rsa = try Libp2pPublicKey(protobuf: Hex.decode(Self.rsaKey)!)
        #expect(!rsa.isValidSignature([1, 2, 3], for: message))
    }

    @Test func secp256k1SignsDeterministically() throws {
        let secret = [UInt8](repeating: 1, count: 32)
        let publicKey = try Secp256k1.publicKey(secretKey: secret)
        #expect(Hex.encode(publicKey) == "031b84c5567b126440995d3ed5aaba0565d71e1834604819ff9c17f5e9d5dd078f")
        let digest = [UInt8](repeating: 7, count: 32)
        let der = try Secp256k1.signDER(digest: digest, secretKey: secret)
        #expect(Secp256k1.verifyDER(signature: der, digest: digest, publicKey: publicKey))
        let compact = try Secp256k1.signCompact(digest: digest, secretKey: secret)
        #expect(Secp256k1.verifyCompact(signature: compact, digest: digest, publicKey: publicKey))
        #expect(try Secp256k1.uncompressed(publicKey).count == 65)
        #expect(throws: Secp256k1Error.invalidSecretKey) {
            try Secp256k1.publicKey(secretKey: [UInt8](repeating: 0, count: 32))
        }
    }

    @Test func badKeysHaveClearErrors() {
        #expect(throws: ProtobufError.missingField("Data")) { try Libp2pPublicKey(protobuf: [0x08, 0x01]) }
        #expect(throws: ProtobufError.missingField("Type")) { try Libp2pPublicKey(protobuf: [0x12, 0x01, 0x00]) }
        #expect(throws: ProtobufError.invalidValue(field: "Type", reason: "unknown key type 9")) {
            try Libp2pPublicKey(protobuf: [0x08, 0x09, 0x12, 0x01, 0x00])
        }
        #expect(throws: ProtobufError.invalidValue(field: "Data", reason: "Ed25519 key is not 32 bytes")) {
            try Libp2pPublicKey(protobuf: [0x08, 0x01, 0x12, 0x01, 0x00])
        }
        #expect(throws: ProtobufError.wrongWireType(field: "Data")) {
            try Libp2pPublicKey(protobuf: [0x08, 0x01, 0x10, 0x01])
        }
        #expect(throws: ProtobufError.truncated) { try Libp2pPublicKey(protobuf: [0x08, 0x01, 0x12, 0x20, 0x00]) }
        #expect(throws: ProtobufError.unsupportedWireType(3)) { try Libp2pPublicKey(protobuf: [0x0B]) }
    }

    @Test func badPeerIDsHaveClearErrors() {
        #expect(throws: PeerIDError.emptyText) { try PeerID("") }
        #expect(throws: PeerIDError.invalidBase58) { try PeerID("Qm0") }
        #expect(throws: PeerIDError.truncated) { try PeerID(multihash: [0x12]) }
        #expect(throws: PeerIDError.unsupportedMultihash(0x13)) { try PeerID(multihash: [0x13, 0x01, 0x00]) }
        #expect(throws: PeerIDError.badDigestLength) { try PeerID(multihash: [0x12, 0x20, 0x00]) }
        #expect(throws: PeerIDError.self) { try PeerID(multihash: [0x00, 0x02, 0x08, 0x01]) }
    }

    @Test func protobufReaderSkipsUnknownFields() throws {
        // field 7 fixed64, field 8 fixed32, field 9 varint, then the real fields.
        var bytes: [UInt8] = [0x39] + [UInt8](repeating: 0, count: 8) + [0x45, 1, 2, 3, 4, 0x48, 0x96, 0x01]
        bytes += Hex.decode(Self.ed25519Key)!
        let key = try Libp2pPublicKey(protobuf: bytes)
        #expect(key.keyType == .ed25519)
        var reader = ProtobufReader([0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(try reader.next()?.value == .varint(UInt64.max))
        var overlong = ProtobufReader([0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01])
        #expect(throws: ProtobufError.malformedVarint) { try overlong.next() }
    }
}
