import Crypto
import Foundation
import NimbusWakuPairing
import Testing

/// `WakuPairingVectors.json` was produced by `Oracles/waku_pairing_reference.py vectors`, an independent Python
/// implementation (the `cryptography` package's X25519, ChaCha20-Poly1305 and HKDF). Each vector fixes both parties'
/// keys and randomness; Swift must reproduce every byte: the QR, the three handshake messages, the handshake hash
/// after each, the auth code, and the transport payloads (which carry the nametags) in both directions.
@Suite struct WakuPairingVectorTests {
    struct Vector: Decodable {
        struct Party: Decodable {
            var `static`: String
            var ephemeral: String
            var randomness: String
        }
        struct Directions: Decodable {
            var initiator_to_responder: [String]
            var responder_to_initiator: [String]
        }
        struct Input: Decodable {
            var initiator: Party
            var responder: Party
            var application_name: String
            var application_version: String
            var shard_id: String
            var qr_message_nametag: String
            var transport: Directions
        }
        struct Output: Decodable {
            var qr: String
            var content_topic: String
            var initiator_static_public: String
            var responder_static_public: String
            var message1: String
            var message2: String
            var message3: String
            var handshake_hash_1: String
            var handshake_hash_2: String
            var handshake_hash_3: String
            var nametag2: String
            var nametag3: String
            var auth_code: String
            var transport_nametags: Directions
            var transport: Directions
        }
        var description: String
        var input: Input
        var output: Output
    }

    static func vectors() throws -> [Vector] {
        let url = Fixtures.directory.appendingPathComponent("WakuPairingVectors.json")
        return try JSONDecoder().decode([Vector].self, from: Data(contentsOf: url))
    }

    static func secrets(_ party: Vector.Party) throws -> WakuPairingSecrets {
        WakuPairingSecrets(
            staticKey: try .init(rawRepresentation: try Fixtures.bytes(party.static)),
            ephemeralKey: try .init(rawRepresentation: try Fixtures.bytes(party.ephemeral)),
            commitmentRandomness: try Fixtures.bytes(party.randomness))
    }

    @Test func thereAreVectorsToCheck() throws {
        #expect(try Self.vectors().count >= 4)
        #expect(try Self.vectors().contains { $0.output.auth_code.hasPrefix("0") })
    }

    @Test(arguments: try vectors().indices)
    func swiftReproducesEveryByte(index: Int) throws {
        let vector = try Self.vectors()[index]
        let input = vector.input
        let output = vector.output
        let hex = Fixtures.hex
        var bob = try WakuPairingHandshake(
            responderWithApplicationName: input.application_name, applicationVersion: input.application_version,
            shardId: input.shard_id, qrMessageNametag: try MessageNametag(hex: input.qr_message_nametag),
            secrets: try Self.secrets(input.responder))
        #expect(bob.qr.string == output.qr, "\(vector.description)")
        #expect(bob.qr.contentTopic() == output.content_topic)
        var alice = WakuPairingHandshake(
            initiatorScanning: try WakuPairingQR(parsing: output.qr),
            qrMessageNametag: try MessageNametag(hex: input.qr_message_nametag),
            secrets: try Self.secrets(input.initiator))

        let start = try alice.start()
        let m1 = try Fixtures.published(start)
        #expect(hex(m1) == output.message1)
        #expect(hex(alice.handshakeHash) == output.handshake_hash_1)
        #expect(try Fixtures.code(start).digits == output.auth_code)
        #expect(try Fixtures.code(try bob.receive(m1)).digits == output.auth_code)
        #expect(hex(bob.handshakeHash) == output.handshake_hash_1)

        #expect(try alice.confirmAuthCode().isEmpty)
        #expect(alice.expectedNametag?.hex == output.nametag2)
        let m2 = try Fixtures.published(try bob.confirmAuthCode())
        #expect(hex(m2) == output.message2)
        #expect(hex(Array(m2.prefix(16))) == output.nametag2)
        #expect(hex(bob.handshakeHash) == output.handshake_hash_2)

        #expect(bob.expectedNametag?.hex == output.nametag3)
        let done = try alice.receive(m2)
        let m3 = try Fixtures.published(done)
        #expect(hex(m3) == output.message3)
        #expect(hex(alice.handshakeHash) == output.handshake_hash_3)
        var aliceSession = try Fixtures.session(done)
        var bobSession = try Fixtures.session(try bob.receive(m3))
        #expect(hex(bob.handshakeHash) == output.handshake_hash_3)
        #expect(hex(aliceSession.remoteStaticKey) == output.responder_static_public)
        #expect(hex(bobSession.remoteStaticKey) == output.initiator_static_public)

        #expect(aliceSession.nextOutboundNametag.hex == output.transport_nametags.initiator_to_responder[0])
        #expect(bobSession.nextOutboundNametag.hex == output.transport_nametags.responder_to_initiator[0])
        let there = zip(input.transport.initiator_to_responder, output.transport.initiator_to_responder)
        for (plaintext, expected) in there {
            let payload = try aliceSession.seal(try Fixtures.bytes(plaintext))
            #expect(hex(payload) == expected)
            #expect(hex(try bobSession.open(payload)) == plaintext)
        }
        let back = zip(input.transport.responder_to_initiator, output.transport.responder_to_initiator)
        for (plaintext, expected) in back {
            let payload = try bobSession.seal(try Fixtures.bytes(plaintext))
            #expect(hex(payload) == expected)
            #expect(hex(try aliceSession.open(payload)) == plaintext)
        }
        #expect(output.transport.initiator_to_responder.count == input.transport.initiator_to_responder.count)
        #expect(output.transport.responder_to_initiator.count == input.transport.responder_to_initiator.count)
    }

    /// The nametag windows: after k messages the next nametag is the vector's k-th.
    @Test func nametagsFollowTheVectors() throws {
        let vector = try Self.vectors()[0]
        var bob = try WakuPairingHandshake(
            responderWithApplicationName: vector.input.application_name,
            applicationVersion: vector.input.application_version, shardId: vector.input.shard_id,
            qrMessageNametag: try MessageNametag(hex: vector.input.qr_message_nametag),
            secrets: try Self.secrets(vector.input.responder))
        var alice = WakuPairingHandshake(
            initiatorScanning: bob.qr, qrMessageNametag: bob.qrMessageNametag,
            secrets: try Self.secrets(vector.input.initiator))
        _ = try bob.receive(try Fixtures.published(try alice.start()))
        _ = try alice.confirmAuthCode()
        let done = try alice.receive(try Fixtures.published(try bob.confirmAuthCode()))
        var session = try Fixtures.session(done)
        _ = try bob.receive(try Fixtures.published(done))
        for expected in vector.output.transport_nametags.initiator_to_responder {
            #expect(session.nextOutboundNametag.hex == expected)
            _ = try session.seal([])
        }
    }
}
