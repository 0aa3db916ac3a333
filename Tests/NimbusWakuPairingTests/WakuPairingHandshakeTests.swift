import Crypto
import NimbusWakuPairing
import Testing

@Suite struct WakuPairingHandshakeTests {
    @Test func twoSwiftRolesPairAndAgree() throws {
        let initiatorSecrets = Fixtures.randomSecrets()
        let responderSecrets = Fixtures.randomSecrets()
        let run = try Fixtures.run(responderSecrets: responderSecrets, initiatorSecrets: initiatorSecrets)
        #expect(run.codes.0 == run.codes.1)
        #expect(run.codes.0.digits.count == 8 && run.codes.0.digits.allSatisfy(\.isNumber))
        // Each side learned the other's static key: what the host pins.
        #expect(run.initiator.remoteStaticKey == Array(responderSecrets.staticKey.publicKey.rawRepresentation))
        #expect(run.responder.remoteStaticKey == Array(initiatorSecrets.staticKey.publicKey.rawRepresentation))
        #expect(run.initiator.handshakeHash == run.responder.handshakeHash)
        // Message sizes: 16 + 2 + 33 + 8 + 264 and 16 + 2 + 49 + 8 + 264, as js-noise's messages.
        #expect(run.messages.map(\.count) == [323, 339, 339])
    }

    @Test func transportWorksInBothDirectionsAndNametagsAdvance() throws {
        var run = try Fixtures.run()
        var seen = Set<MessageNametag>()
        for size in [0, 1, 247, 248, 249, 1000] {
            let message = Fixtures.randomBytes(size)
            #expect(run.initiator.nextOutboundNametag == run.responder.nextInboundNametag)
            let there = try run.initiator.seal(message)
            #expect(seen.insert(NoisePayloadV2Fields.nametag(there)).inserted)
            #expect(try run.responder.open(there) == message)
            let back = try run.responder.seal(message.reversed())
            #expect(seen.insert(NoisePayloadV2Fields.nametag(back)).inserted)
            #expect(try run.initiator.open(back) == message.reversed())
            // Padding to 248-byte blocks, plus the tag.
            #expect(there.count == 16 + 2 + 8 + (size / 248 + 1) * 248 + 16)
        }
    }

    @Test func transportRefusesReplaysTamperingAndLostMessagesWithoutLosingState() throws {
        var run = try Fixtures.run()
        let first = try run.initiator.seal(Array("one".utf8))
        let second = try run.initiator.seal(Array("two".utf8))
        // The second before the first: one message missed.
        #expect(throws: WakuPairingError.messagesLost(missed: 1)) { try run.responder.open(second) }
        var flipped = first
        flipped[flipped.count - 1] ^= 1
        #expect(throws: WakuPairingError.decryptionFailed) { try run.responder.open(flipped) }
        var retagged = first
        retagged[3] ^= 1
        #expect(throws: WakuPairingError.unexpectedNametag) { try run.responder.open(retagged) }
        var reprotocolled = first
        reprotocolled[16] = 14
        #expect(throws: WakuPairingError.wrongProtocolForStep(14)) { try run.responder.open(reprotocolled) }
        // None of that changed the session: the real messages still open, in order, and a replay is refused.
        #expect(try run.responder.open(first) == Array("one".utf8))
        #expect(throws: WakuPairingError.unexpectedNametag) { try run.responder.open(first) }
        #expect(try run.responder.open(second) == Array("two".utf8))
    }

    @Test func theInitiatorKeepsAnEarlySecondMessageUntilThePersonConfirms() throws {
        var (alice, bob) = try Fixtures.pair()
        let m1 = try Fixtures.published(try alice.start())
        _ = try bob.receive(m1)
        let m2 = try Fixtures.published(try bob.confirmAuthCode())
        #expect(alice.expectedNametag == MessageNametag(bytes: Array(m2.prefix(16))))
        #expect(try alice.receive(m2).isEmpty)
        #expect(alice.phase == .awaitingConfirmation)
        let done = try alice.confirmAuthCode()
        let m3 = try Fixtures.published(done)
        _ = try Fixtures.session(done)
        _ = try Fixtures.session(try bob.receive(m3))
        #expect(alice.phase == .paired && bob.phase == .paired)
    }

    @Test func aRejectedCodeEndsTheHandshake() throws {
        var (alice, bob) = try Fixtures.pair()
        let m1 = try Fixtures.published(try alice.start())
        _ = try bob.receive(m1)
        bob.rejectAuthCode()
        #expect(bob.phase == .failed)
        #expect(throws: WakuPairingError.failed) { try bob.confirmAuthCode() }
        alice.rejectAuthCode()
        #expect(throws: WakuPairingError.failed) { try alice.receive(m1) }
    }

    @Test func stepsOutOfOrderAreRefused() throws {
        var (alice, bob) = try Fixtures.pair()
        #expect(throws: WakuPairingError.notExpected(state: "responder awaitingFirstMessage")) {
            try bob.confirmAuthCode()
        }
        #expect(throws: WakuPairingError.notExpected(state: "responder awaitingFirstMessage")) { try bob.start() }
        _ = try alice.start()
        #expect(throws: WakuPairingError.notExpected(state: "initiator awaitingConfirmation")) { try alice.start() }
        // A message where none is expected (the responder before it sends message 2) is not for it.
        #expect(bob.phase == .awaitingFirstMessage)
    }

    /// Messages with another nametag (other pairings on the shared topic) are ignored without changing anything.
    @Test func foreignNametagsAreIgnored() throws {
        var (alice, bob) = try Fixtures.pair()
        let m1 = try Fixtures.published(try alice.start())
        var foreign = m1
        foreign[0] ^= 0x55
        #expect(throws: WakuPairingError.unexpectedNametag) { try bob.receive(foreign) }
        #expect(throws: WakuPairingError.unexpectedNametag) { try bob.receive([1, 2, 3]) }
        #expect(bob.phase == .awaitingFirstMessage)
        _ = try bob.receive(m1)
        // The same message 1 again (a replay) carries the QR nametag, which is no longer expected.
        #expect(throws: WakuPairingError.unexpectedNametag) { try bob.receive(m1) }
        #expect(bob.phase == .awaitingConfirmation)
    }

    /// Flipping any one byte after the nametag of any message fails the receiver: the keys and payloads are
    /// authenticated, the lengths and ids are checked.
    @Test(arguments: [0, 1, 2])
    func everyFlippedByteIsRefused(messageIndex: Int) throws {
        let length = messageIndex == 0 ? 323 : 339
        for position in stride(from: 16, to: length, by: 1) {
            var (alice, bob) = try Fixtures.pair()
            let m1 = try Fixtures.published(try alice.start())
            var receiver = bob
            var message = m1
            if messageIndex >= 1 {
                _ = try bob.receive(m1)
                _ = try alice.confirmAuthCode()
                let m2 = try Fixtures.published(try bob.confirmAuthCode())
                receiver = alice
                message = m2
                if messageIndex == 2 {
                    message = try Fixtures.published(try alice.receive(m2))
                    receiver = bob
                }
            }
            message[position] ^= 0x01
            let error = #expect(throws: WakuPairingError.self, "message \(messageIndex + 1) byte \(position)") {
                _ = try receiver.receive(message)
            }
            #expect(error != .unexpectedNametag)
            #expect(receiver.phase == .failed, "message \(messageIndex + 1) byte \(position)")
        }
    }

    /// A low-order point in message 1 gives no shared secret: refused as an invalid key.
    @Test func aLowOrderEphemeralKeyIsRefused() throws {
        var (alice, bob) = try Fixtures.pair()
        var m1 = try Fixtures.published(try alice.start())
        m1.replaceSubrange(19..<51, with: [UInt8](repeating: 0, count: 32))
        #expect(throws: WakuPairingError.invalidPublicKey) { try bob.receive(m1) }
    }

    /// A QR changed on its way to the host (here its commitment) changes the prologue: the device refuses message 1.
    @Test func anAlteredQRIsRefusedByTheDevice() throws {
        let (_, bob) = try Fixtures.pair()
        var bobCopy = bob
        let altered = try WakuPairingQR(
            applicationName: bob.qr.applicationName, applicationVersion: bob.qr.applicationVersion,
            shardId: bob.qr.shardId, ephemeralKey: bob.qr.ephemeralKey,
            committedStaticKey: bob.qr.committedStaticKey.reversed())
        var alice = WakuPairingHandshake(
            initiatorScanning: altered, qrMessageNametag: bob.qrMessageNametag, secrets: Fixtures.randomSecrets())
        let m1 = try Fixtures.published(try alice.start())
        #expect(throws: WakuPairingError.decryptionFailed) { try bobCopy.receive(m1) }
    }

    @Test func errorMessagesAndDescriptionsHoldNoSecrets() throws {
        let secrets = Fixtures.randomSecrets()
        var (alice, _) = try Fixtures.pair(initiatorSecrets: secrets)
        _ = try alice.start()
        let texts = ["\(alice)", "\(secrets)", "\(alice.authCode!)"]
        let forbidden = [Array(secrets.staticKey.rawRepresentation), Array(secrets.ephemeralKey.rawRepresentation),
                         secrets.commitmentRandomness].map { Fixtures.hex($0) }
        for text in texts {
            for secret in forbidden { #expect(!text.contains(secret) && !text.contains(secret.prefix(8))) }
            #expect(!text.contains(alice.authCode!.digits))
        }
        let all: [WakuPairingError] = [
            .qrFieldCount(3), .qrBase64(field: "shard id"), .qrText(field: "shard id"),
            .qrKeyLength(field: "ephemeral key", bytes: 31), .nametagFormat, .payloadTruncated(field: "nametag"),
            .payloadTrailingBytes(1), .unknownProtocolID(9), .publicKeyFlag(2), .handshakeMessageLength,
            .handshakeMessageTooLong, .unexpectedHandshakeKeys(step: 2), .wrongProtocolForStep(0), .unexpectedNametag,
            .messagesLost(missed: 2), .invalidPublicKey, .decryptionFailed, .badPadding,
            .payloadLength(step: 1, bytes: 3),
            .committedStaticKeyMismatch, .authCodeRejected, .notExpected(state: "x"), .failed, .nonceExhausted,
            .messageTooLong(5),
        ]
        // Every message is distinct, so a log line says which check failed.
        #expect(Set(all.map(\.description)).count == all.count)
    }
}

/// Reads fields of an encoded payload without the codec under test.
enum NoisePayloadV2Fields {
    static func nametag(_ payload: [UInt8]) -> MessageNametag { MessageNametag(bytes: Array(payload.prefix(16)))! }
}
