import Crypto
import NimbusSession
import Testing

@Suite struct SessionWireTests {
    static let sessionID = [UInt8](repeating: 7, count: 16)

    @Test func outerFramesArePaddedToBucketsAndDecodedStrictly() throws {
        let frame = SessionWire.Frame(kind: .data, sessionID: Self.sessionID, body: [1, 2, 3])
        let wire = try SessionWire.encode(frame)
        #expect(wire.count == 512)
        #expect(try SessionWire.decode(wire) == frame)
        let big = SessionWire.Frame(kind: .data, sessionID: Self.sessionID, body: [UInt8](repeating: 9, count: 3000))
        #expect(try SessionWire.encode(big).count == 8192)
        #expect(throws: SessionWire.Invalid.tooLarge) {
            try SessionWire.encode(SessionWire.Frame(kind: .data, sessionID: Self.sessionID, body: [UInt8](repeating: 0, count: SessionWire.maximumBody + 1)))
        }
        #expect(throws: SessionWire.Invalid.tooShort) { try SessionWire.decode([1, 3]) }
        #expect(throws: SessionWire.Invalid.badPadding) { try SessionWire.decode(Array(wire.prefix(500))) }
        var version = wire
        version[0] = 9
        #expect(throws: SessionWire.Invalid.unsupportedVersion) { try SessionWire.decode(version) }
        var kind = wire
        kind[1] = 77
        #expect(throws: SessionWire.Invalid.unknownKind) { try SessionWire.decode(kind) }
        var length = wire
        length[21] = 0xFF
        length[20] = 0xFF
        #expect(throws: SessionWire.Invalid.badLength) { try SessionWire.decode(length) }
        // A small frame padded to a larger bucket than it needs: refused (one encoding per frame).
        #expect(throws: SessionWire.Invalid.badPadding) { try SessionWire.decode(wire + [UInt8](repeating: 0, count: 1536)) }
        var padding = wire
        padding[400] = 1
        #expect(throws: SessionWire.Invalid.badPadding) { try SessionWire.decode(padding) }
    }

    @Test func httpFramesRoundTripAndRefuseBadBytes() throws {
        let frames: [HTTPFrame] = [
            .request(stream: 1, method: "GET", target: "node/hoodi", path: "/eth/v1/node/syncing", body: []),
            .request(stream: 2, method: "POST", target: "node", path: "/eth/v1/keystores", body: Array("{}".utf8)),
            .responseHead(stream: 1, status: 200, contentType: "application/json", chunks: 3),
            .responseHead(stream: 1, status: 200, contentType: "application/json", chunks: 3, deflatedFrom: 300_000),
            .responseEnd(stream: 4),
            .responseChunk(stream: 1, index: 2, bytes: [UInt8](repeating: 1, count: HTTPFrame.chunkBytes)),
            .cancel(stream: 9),
        ]
        for frame in frames { #expect(try HTTPFrame.decode(frame.encoded()) == frame) }
        let request = frames[0].encoded()
        #expect(throws: HTTPFrame.Invalid.trailingBytes) { try HTTPFrame.decode(request + [0]) }
        for cut in 0..<request.count {
            #expect(throws: HTTPFrame.Invalid.self) { try HTTPFrame.decode(Array(request.prefix(cut))) }
        }
        #expect(throws: HTTPFrame.Invalid.unknownKind(9)) { try HTTPFrame.decode([9, 0, 0, 0, 1]) }
        // A chunk that claims more than the limit is refused from its length alone.
        #expect(throws: HTTPFrame.Invalid.tooLarge) { try HTTPFrame.decode([3, 0, 0, 0, 1, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]) }
        // A method that is not UTF-8.
        #expect(throws: HTTPFrame.Invalid.badText) { try HTTPFrame.decode([1, 0, 0, 0, 1, 0, 1, 0xFF]) }
    }

    static func keys() -> (device: Curve25519.KeyAgreement.PrivateKey, host: Curve25519.KeyAgreement.PrivateKey) {
        (Curve25519.KeyAgreement.PrivateKey(), Curve25519.KeyAgreement.PrivateKey())
    }

    @Test func aSessionCarriesRequestsBothWaysAndOnlyBetweenItsTwoParties() throws {
        let (device, host) = Self.keys()
        let devicePublic = Array(device.publicKey.rawRepresentation)
        let hostPublic = Array(host.publicKey.rawRepresentation)
        var initiator = try SessionInitiator(deviceKey: Array(device.rawRepresentation), devicePublicKey: devicePublic,
                                             hostKey: hostPublic)
        #expect(initiator.inboxTopic == SessionWire.inboxTopic(hostKey: hostPublic, deviceKey: devicePublic))
        let (reply, hostSide) = try SessionResponder.respond(
            hostKey: Array(host.rawRepresentation), deviceKey: devicePublic, to: try SessionWire.decode(initiator.hello))
        var deviceSide = try initiator.finish(try SessionWire.decode(reply))
        var hostSession = hostSide
        #expect(hostSession.receiveTopics.contains(deviceSide.sendTopic))
        #expect(deviceSide.receiveTopics.contains(hostSession.sendTopic))
        #expect(deviceSide.sendTopic != hostSession.sendTopic, "each direction has its own topics")
        let request = HTTPFrame.request(stream: 1, method: "GET", target: "node", path: "/eth/v1/node/version", body: [])
        let sealed = try deviceSide.seal(request)
        #expect(try hostSession.open(try SessionWire.decode(sealed.payload), topic: sealed.topic) == request)
        // The same frame again is a replay; the device cannot open its own frame (the other direction's key).
        #expect(throws: (any Error).self) { try hostSession.open(try SessionWire.decode(sealed.payload), topic: sealed.topic) }
        #expect(throws: (any Error).self) { try deviceSide.open(try SessionWire.decode(sealed.payload), topic: sealed.topic) }
        let answer = try hostSession.seal(.responseHead(stream: 1, status: 200, contentType: "application/json", chunks: 1))
        #expect(try deviceSide.open(try SessionWire.decode(answer.payload), topic: answer.topic)
                    == .responseHead(stream: 1, status: 200, contentType: "application/json", chunks: 1))
        // A frame moved to another topic of the session is refused.
        let moved = try deviceSide.seal(request)
        #expect(throws: (any Error).self) { try hostSession.open(try SessionWire.decode(moved.payload), topic: answer.topic) }

        // A device whose key the host did not pin gets no session.
        let stranger = Curve25519.KeyAgreement.PrivateKey()
        let impostor = try SessionInitiator(deviceKey: Array(stranger.rawRepresentation),
                                            devicePublicKey: devicePublic, hostKey: hostPublic)
        #expect(throws: (any Error).self) {
            try SessionResponder.respond(hostKey: Array(host.rawRepresentation), deviceKey: devicePublic,
                                         to: try SessionWire.decode(impostor.hello))
        }
        // A second session between the same two has its own topic and keys.
        var again = try SessionInitiator(deviceKey: Array(device.rawRepresentation), devicePublicKey: devicePublic, hostKey: hostPublic)
        let (reply2, _) = try SessionResponder.respond(hostKey: Array(host.rawRepresentation), deviceKey: devicePublic,
                                                       to: try SessionWire.decode(again.hello))
        var second = try again.finish(try SessionWire.decode(reply2))
        #expect(second.sendTopic != deviceSide.sendTopic)
        let foreign = try second.seal(request)
        #expect(throws: (any Error).self) { try hostSession.open(try SessionWire.decode(foreign.payload), topic: foreign.topic) }
    }

    /// Topics move on every `framesPerTopic` frames of a direction; the receiver follows the newest it has seen,
    /// keeps the one before for late frames and listens ahead for bursts.
    @Test func topicsRotateWithTheCounterAndTheReceiverFollows() throws {
        let (device, host) = Self.keys()
        let devicePublic = Array(device.publicKey.rawRepresentation)
        var initiator = try SessionInitiator(deviceKey: Array(device.rawRepresentation), devicePublicKey: devicePublic,
                                             hostKey: Array(host.publicKey.rawRepresentation))
        let (reply, hostSide) = try SessionResponder.respond(
            hostKey: Array(host.rawRepresentation), deviceKey: devicePublic, to: try SessionWire.decode(initiator.hello))
        var deviceSide = try initiator.finish(try SessionWire.decode(reply))
        var hostSession = hostSide
        let per = Int(EstablishedSession.framesPerTopic)
        let ahead = Int(EstablishedSession.topicsAhead)
        #expect(deviceSide.receiveTopics.count == ahead + 1, "epoch 0 and the ones ahead")
        var topicsUsed: [String] = []
        let frame = HTTPFrame.cancel(stream: 1)
        var sealedFrames: [(topic: String, payload: [UInt8])] = []
        for _ in 0..<(per * 3) {
            let sealed = try hostSession.seal(frame)
            sealedFrames.append(sealed)
            if topicsUsed.last != sealed.topic { topicsUsed.append(sealed.topic) }
        }
        #expect(topicsUsed.count == 3, "three epochs, three topics")
        #expect(Set(topicsUsed).count == 3)
        // A burst of three epochs lands inside what the receiver listens to from the start.
        #expect(Set(topicsUsed).isSubset(of: Set(deviceSide.receiveTopics)))
        for sealed in sealedFrames { _ = try deviceSide.open(try SessionWire.decode(sealed.payload), topic: sealed.topic) }
        // Having seen epoch 2: epoch 1 for late frames, 2, and the ones ahead; epoch 0 is dropped.
        #expect(deviceSide.receiveTopics.first == topicsUsed[1])
        #expect(!deviceSide.receiveTopics.contains(topicsUsed[0]))
        #expect(deviceSide.receiveTopics.count == ahead + 2)
    }
}
