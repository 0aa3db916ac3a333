import NimbusWaku
import Testing

/// 19/WAKU2-LIGHTPUSH: client fallback from v3 to v2 and the service's checks.
@Suite struct LightPushTests {
    let message = WakuMessage(payload: [1], contentTopic: "/app/1/t/proto", timestamp: 1)
    let pubsub = "/waku/2/rs/1/2"
    let legacyOnly = WakuPeerID("legacy")
    let modern = WakuPeerID("modern")

    /// A peer without v3 agrees on v2: the request goes out in v2's envelope and the peer is remembered as v2.
    @Test func fallsBackToV2AndRemembers() throws {
        var memory = LightPushVersionMemory()
        var attempt = LightPushAttempt(message: message, pubsubTopic: pubsub, peers: [legacyOnly], requestID: "id1")
        let open = attempt.start(memory: memory)
        #expect(
            open
                == .openStream(
                    peer: legacyOnly, protocols: ["/vac/waku/lightpush/3.0.0", "/vac/waku/lightpush/2.0.0-beta1"]))
        let exchange = attempt.streamOpened(protocolID: WakuProtocolID.lightPushLegacy, memory: &memory)
        guard case .exchange(_, let bytes) = exchange else {
            Issue.record("expected an exchange, got \(exchange)")
            return
        }
        let sent = try LegacyPushRPC(decoding: bytes)
        #expect(sent.request == LegacyPushRPC.Request(pubsubTopic: pubsub, message: message))
        let reply = LegacyPushRPC(requestID: "id1", response: .init(isSuccess: true, info: nil)).encoded()
        #expect(
            attempt.received(.success(reply), memory: memory)
                == .finished(.delivered(peer: legacyOnly, relayPeerCount: nil)))
        #expect(memory.protocolID(of: legacyOnly) == WakuProtocolID.lightPushLegacy)
        #expect(memory.protocols(for: legacyOnly).first == WakuProtocolID.lightPushLegacy)
    }

    /// v3 with a relay count; a 503 moves on to the next peer; a 420 stops.
    @Test func v3StatusHandling() throws {
        var memory = LightPushVersionMemory()
        var attempt = LightPushAttempt(
            message: message, pubsubTopic: pubsub, peers: [modern, legacyOnly], requestID: "id2")
        _ = attempt.start(memory: memory)
        guard case .exchange(_, let bytes) = attempt.streamOpened(protocolID: WakuProtocolID.lightPush, memory: &memory)
        else { Issue.record("no exchange"); return }
        #expect(
            try LightPushRequest(decoding: bytes)
                == LightPushRequest(requestID: "id2", pubsubTopic: pubsub, message: message))
        let busy = LightPushResponse(requestID: "id2", status: .serviceNotAvailable).encoded()
        #expect(
            attempt.received(.success(busy), memory: memory)
                == .openStream(peer: legacyOnly, protocols: memory.protocols(for: legacyOnly)))
        _ = attempt.streamOpened(protocolID: WakuProtocolID.lightPush, memory: &memory)
        let refused = LightPushResponse(requestID: "id2", status: .invalidMessage, statusDescription: "bad").encoded()
        #expect(
            attempt.received(.success(refused), memory: memory)
                == .finished(.rejected(peer: legacyOnly, status: .invalidMessage, description: "bad")))

        var good = LightPushAttempt(message: message, pubsubTopic: pubsub, peers: [modern], requestID: "id3")
        _ = good.start(memory: memory)
        _ = good.streamOpened(protocolID: WakuProtocolID.lightPush, memory: &memory)
        let success = LightPushResponse(requestID: "id3", status: .success, relayPeerCount: 4).encoded()
        #expect(
            good.received(.success(success), memory: memory) == .finished(.delivered(peer: modern, relayPeerCount: 4)))
    }

    /// Transport failures, malformed and mismatched responses move on; no peers left ends in `exhausted`.
    @Test func exhaustion() {
        var memory = LightPushVersionMemory()
        var attempt = LightPushAttempt(
            message: message, pubsubTopic: pubsub, peers: [modern, legacyOnly], requestID: "id4")
        _ = attempt.start(memory: memory)
        #expect(
            attempt.streamFailed(reason: "protocol not supported", memory: memory)
                == .openStream(peer: legacyOnly, protocols: memory.protocols(for: legacyOnly)))
        _ = attempt.streamOpened(protocolID: WakuProtocolID.lightPush, memory: &memory)
        let wrongID = LightPushResponse(requestID: "other", status: .success).encoded()
        #expect(
            attempt.received(.success(wrongID), memory: memory)
                == .finished(.exhausted(lastFailure: "malformed lightpush v3 response from legacy")))
        var none = LightPushAttempt(message: message, pubsubTopic: pubsub, peers: [], requestID: "id5")
        #expect(none.start(memory: memory) == .finished(.exhausted(lastFailure: "no lightpush peers")))
    }

    @Test func serviceValidation() {
        let validation = LightPushValidation(sharding: .theWakuNetwork, servedTopics: ["/waku/2/rs/1/0", pubsub])
        let derived = AutoSharding.theWakuNetwork.allShards.first { $0.pubsubTopic == pubsub }!
        _ = derived
        #expect(
            validation.pubsubTopic(for: LightPushRequest(requestID: "a", pubsubTopic: pubsub, message: message))
                == .success(pubsub))
        let auto = try? AutoSharding.theWakuNetwork.shard(forContentTopic: message.contentTopic).pubsubTopic
        let autoResult = validation.pubsubTopic(
            for: LightPushRequest(requestID: "a", pubsubTopic: nil, message: message))
        if auto == pubsub || auto == "/waku/2/rs/1/0" {
            #expect(autoResult == .success(auto!))
        } else {
            #expect(autoResult.failureStatus == .unsupportedPubsubTopic)
        }
        #expect(
            validation.pubsubTopic(
                for: LightPushRequest(requestID: "a", pubsubTopic: "/waku/2/rs/1/5", message: message)
            )
            .failureStatus == .unsupportedPubsubTopic)
        let badTopic = WakuMessage(payload: [], contentTopic: "not-a-topic")
        #expect(
            validation.pubsubTopic(for: LightPushRequest(requestID: "a", pubsubTopic: nil, message: badTopic))
                .failureStatus == .badRequest)
        let big = WakuMessage(
            payload: [UInt8](repeating: 0, count: WakuMessage.maxEncodedSize), contentTopic: "/a/1/b/c")
        #expect(
            validation.pubsubTopic(for: LightPushRequest(requestID: "a", pubsubTopic: pubsub, message: big))
                .failureStatus == .payloadTooLarge)
        #expect(
            LightPushValidation.status(forDecodingError: .tooLarge(what: "x", size: 2, limit: 1)) == .payloadTooLarge)
        #expect(LightPushValidation.status(forDecodingError: .malformedVarint) == .badRequest)
    }
}

extension Result where Failure == LightPushRejection {
    var failureStatus: LightPushStatus? {
        if case .failure(let rejection) = self { rejection.status } else { nil }
    }
}
