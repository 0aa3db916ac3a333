import Crypto
import NimbusMultiformats
import Testing

@testable import NimbusLibp2p

@Suite struct NoiseHandshakeTests {
    typealias Action = NoiseHandshake.Action

    struct Outcome {
        var initiator: NoiseHandshake.Result?
        var responder: NoiseHandshake.Result?
        var initiatorError: NoiseError?
        var responderError: NoiseError?
    }

    /// Runs a libp2p Noise handshake between two machines; `tamper` may change bytes on their way to the initiator.
    static func run(
        initiator: inout NoiseHandshake, responder: inout NoiseHandshake, feeding: Feeding,
        tamper: (inout [UInt8]) -> Void = { _ in }
    ) -> Outcome {
        var outcome = Outcome()
        var toResponder: [UInt8] = []
        var toInitiator: [UInt8] = []
        func absorb(
            _ actions: [Action], outbox: inout [UInt8], result: inout NoiseHandshake.Result?, error: inout NoiseError?
        ) {
            for action in actions {
                switch action {
                case .send(let bytes): outbox += bytes
                case .completed(let done): result = done
                case .failed(let failure): error = failure
                }
            }
        }
        absorb(initiator.start(), outbox: &toResponder, result: &outcome.initiator, error: &outcome.initiatorError)
        var rounds = 0
        while (!toResponder.isEmpty || !toInitiator.isEmpty) && rounds < 10 {
            rounds += 1
            let forResponder = toResponder
            toResponder = []
            for chunk in feeding.split(forResponder) {
                absorb(
                    responder.receive(chunk), outbox: &toInitiator, result: &outcome.responder,
                    error: &outcome.responderError)
            }
            var forInitiator = toInitiator
            toInitiator = []
            tamper(&forInitiator)
            for chunk in feeding.split(forInitiator) {
                absorb(
                    initiator.receive(chunk), outbox: &toResponder, result: &outcome.initiator,
                    error: &outcome.initiatorError)
            }
        }
        return outcome
    }

    static let keyTypes: [Libp2pPublicKey.KeyType] = [.ed25519, .secp256k1]

    @Test(arguments: keyTypes, Feeding.allCases) func authenticatesBothSides(
        keyType: Libp2pPublicKey.KeyType, feeding: Feeding
    ) throws {
        let dialerKey = keyType == .ed25519 ? IdentityKey.generateEd25519() : .generateSecp256k1()
        let listenerKey = keyType == .ed25519 ? IdentityKey.generateSecp256k1() : .generateEd25519()
        var initiator = try NoiseHandshake(isInitiator: true, identity: dialerKey, expectedPeer: listenerKey.peerID)
        var responder = try NoiseHandshake(isInitiator: false, identity: listenerKey)
        let outcome = Self.run(initiator: &initiator, responder: &responder, feeding: feeding)
        var dialerSide = try #require(outcome.initiator)
        var listenerSide = try #require(outcome.responder)
        #expect(dialerSide.remotePeer == listenerKey.peerID)
        #expect(listenerSide.remotePeer == dialerKey.peerID)
        #expect(listenerSide.remotePublicKey == dialerKey.publicKey)

        // The transports talk to each other, in both directions, over several frames.
        let big = (0..<150_000).map { UInt8(truncatingIfNeeded: $0) }
        let sealed = try dialerSide.transport.encrypt(big)
        #expect(sealed.count == big.count + 3 * 18)
        var opened: [UInt8] = []
        // Byte by byte over 150 KB is slow without telling more than 7-byte pieces do.
        for chunk in (feeding == .dripFed ? .oddChunks : feeding).split(sealed) {
            opened += try listenerSide.transport.decrypt(chunk)
        }
        #expect(opened == big)
        let reply = try listenerSide.transport.encrypt([9, 9, 9])
        var received: [UInt8] = []
        for chunk in Feeding.dripFed.split(reply) { received += try dialerSide.transport.decrypt(chunk) }
        #expect(received == [9, 9, 9])
    }

    @Test func wrongPeerIsRefused() throws {
        var initiator = try NoiseHandshake(
            isInitiator: true, identity: .generateEd25519(), expectedPeer: IdentityKey.generateEd25519().peerID)
        var responder = try NoiseHandshake(isInitiator: false, identity: .generateEd25519())
        let outcome = Self.run(initiator: &initiator, responder: &responder, feeding: .batched)
        guard case .peerIDMismatch = outcome.initiatorError else {
            Issue.record("expected a peer id mismatch, got \(String(describing: outcome.initiatorError))")
            return
        }
        #expect(outcome.initiator == nil)
    }

    @Test func tamperedMessageFailsAuthentication() throws {
        var initiator = try NoiseHandshake(isInitiator: true, identity: .generateEd25519())
        var responder = try NoiseHandshake(isInitiator: false, identity: .generateEd25519())
        // Flip a byte of message 2's encrypted static key.
        let outcome = Self.run(initiator: &initiator, responder: &responder, feeding: .batched) { bytes in
            if bytes.count > 40 { bytes[40] ^= 0x01 }
        }
        #expect(outcome.initiatorError == .decryptionFailed)
    }

    @Test func forgedIdentitySignatureIsRefused() throws {
        // A responder that signs a different static key than the one it uses.
        let identity = IdentityKey.generateEd25519()
        var state = NoiseHandshakeState(isInitiator: false, staticKey: .init())
        var initiator = try NoiseHandshake(isInitiator: true, identity: .generateEd25519())
        guard case .send(let message1) = initiator.start().first else { Issue.record("no message 1"); return }
        _ = try state.readMessage(Array(message1.dropFirst(2)))
        let otherStatic = Array(Curve25519.KeyAgreement.PrivateKey().publicKey.rawRepresentation)
        let payload = NoiseHandshakePayload(
            identityKey: identity.publicKey.protobuf,
            identitySignature: try identity.sign(NoiseHandshakePayload.signedMessage(staticKey: otherStatic))
        )
        let message2 = try state.writeMessage(payload: payload.protobuf)
        let actions = initiator.receive(NoiseFrameDecoder.frame(message2))
        guard case .failed(let error) = actions.last else { Issue.record("not refused"); return }
        #expect(error == .invalidSignature)
    }

    @Test func frameDecoderLimitsAndSplits() throws {
        var decoder = NoiseFrameDecoder(maxFrameLength: 100)
        for byte in NoiseFrameDecoder.frame([1, 2, 3]) + NoiseFrameDecoder.frame([]) + [0x00] {
            decoder.append([byte])
        }
        #expect(try decoder.next() == [1, 2, 3])
        #expect(try decoder.next() == [])
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedCount == 1)
        decoder.append([0x65])
        #expect(throws: NoiseError.frameTooLarge(length: 101, limit: 100)) { try decoder.next() }
    }

    @Test func handshakeMessagesTooShortAreRefused() {
        #expect(throws: NoiseError.malformedHandshakeMessage(step: 1, reason: "shorter than a key")) {
            try NoiseHandshakeMessage(step: 1, bytes: [UInt8](repeating: 0, count: 31))
        }
        #expect(throws: NoiseError.malformedHandshakeMessage(step: 2, reason: "too short for its keys and tag")) {
            try NoiseHandshakeMessage(step: 2, bytes: [UInt8](repeating: 0, count: 95))
        }
        #expect(throws: NoiseError.malformedHandshakeMessage(step: 3, reason: "too short for its key and tag")) {
            try NoiseHandshakeMessage(step: 3, bytes: [UInt8](repeating: 0, count: 63))
        }
        let message = try? NoiseHandshakeMessage(step: 2, bytes: [UInt8](repeating: 7, count: 100))
        #expect(
            message?.ephemeralKey?.count == 32 && message?.encryptedStaticKey?.count == 48
                && message?.payload.count == 20)
    }

    @Test func payloadProtobuf() throws {
        let payload = NoiseHandshakePayload(
            identityKey: [1, 2, 3], identitySignature: [4, 5], streamMuxers: ["/yamux/1.0.0"],
            webTransportCertHashes: [[9]]
        )
        #expect(try NoiseHandshakePayload(protobuf: payload.protobuf) == payload)
        #expect(throws: ProtobufError.missingField("identity_sig")) {
            try NoiseHandshakePayload(protobuf: [0x0A, 0x01, 0x01])
        }
        #expect(throws: ProtobufError.missingField("identity_key")) { try NoiseHandshakePayload(protobuf: [UInt8]()) }
        #expect(throws: ProtobufError.wrongWireType(field: "identity_key")) {
            try NoiseHandshakePayload(protobuf: [0x08, 0x01])
        }
        #expect(throws: ProtobufError.invalidValue(field: "stream_muxers", reason: "not UTF-8")) {
            try NoiseHandshakePayload(protobuf: [0x0A, 0x01, 0x01, 0x12, 0x01, 0x01, 0x22, 0x03, 0x12, 0x01, 0xFF])
        }
    }
}
