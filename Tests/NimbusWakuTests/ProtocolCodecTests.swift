import NimbusWaku
import Testing

/// The request-response protocols' codecs: round trips, canonical field numbers, strict refusals.
@Suite struct ProtocolCodecTests {
    let message = WakuMessage(payload: [1, 2, 3], contentTopic: "/app/1/chat/proto", timestamp: 42)
    var hashA: WakuMessageHash { WakuMessageHash(pubsubTopic: "/waku/2/rs/1/0", message: message) }

    @Test func lightPushV3() throws {
        let request = LightPushRequest(requestID: "r1", pubsubTopic: "/waku/2/rs/1/3", message: message)
        #expect(try LightPushRequest(decoding: request.encoded()) == request)
        #expect(
            request.encoded() == RawProto.stringField(1, "r1") + RawProto.stringField(20, "/waku/2/rs/1/3")
                + RawProto.bytesField(21, message.encoded()))
        let autosharded = LightPushRequest(requestID: "r2", pubsubTopic: nil, message: message)
        #expect(try LightPushRequest(decoding: autosharded.encoded()) == autosharded)
        let response = LightPushResponse(
            requestID: "r1", status: .noPeersToRelay, statusDescription: "x", relayPeerCount: 0)
        #expect(try LightPushResponse(decoding: response.encoded()) == response)
        #expect(LightPushStatus(code: 421).description == "UNSUPPORTED_PUBSUB_TOPIC")

        #expect(throws: WakuCodecError.missingField("LightpushRequest.message")) {
            _ = try LightPushRequest(decoding: RawProto.stringField(1, "r"))
        }
        #expect(throws: WakuCodecError.missingField("LightpushRequest.request_id")) {
            _ = try LightPushRequest(decoding: RawProto.bytesField(21, message.encoded()))
        }
        #expect(throws: WakuCodecError.missingField("LightpushResponse.status_code")) {
            _ = try LightPushResponse(decoding: RawProto.stringField(1, "r"))
        }
        // A bad inner message is reported as such.
        #expect(throws: WakuCodecError.missingField("WakuMessage.content_topic")) {
            _ = try LightPushRequest(decoding: RawProto.stringField(1, "r") + RawProto.bytesField(21, [0x0A, 0x00]))
        }
    }

    @Test func lightPushV2() throws {
        let request = LegacyPushRPC(requestID: "q", request: .init(pubsubTopic: "/waku/2/rs/1/0", message: message))
        #expect(try LegacyPushRPC(decoding: request.encoded()) == request)
        let response = LegacyPushRPC(requestID: "q", response: .init(isSuccess: true, info: nil))
        #expect(try LegacyPushRPC(decoding: response.encoded()) == response)
        #expect(throws: WakuCodecError.missingField("PushRequest.pubsub_topic")) {
            _ = try LegacyPushRPC(
                decoding: RawProto.stringField(1, "q")
                    + RawProto.bytesField(2, RawProto.bytesField(2, message.encoded())))
        }
    }

    @Test func filter() throws {
        let subscribe = FilterSubscribeRequest(
            requestID: "f", kind: .subscribe, pubsubTopic: "/waku/2/rs/1/2", contentTopics: ["/a/1/b/c", "/a/1/d/c"])
        #expect(try FilterSubscribeRequest(decoding: subscribe.encoded()) == subscribe)
        let ping = FilterSubscribeRequest(requestID: "p", kind: .subscriberPing)
        #expect(ping.encoded() == RawProto.stringField(1, "p"))
        #expect(try FilterSubscribeRequest(decoding: ping.encoded()) == ping)
        let response = FilterSubscribeResponse(requestID: "f", statusCode: 404, statusDescription: "none")
        #expect(try FilterSubscribeResponse(decoding: response.encoded()) == response)
        let push = FilterMessagePush(message: message, pubsubTopic: "/waku/2/rs/1/2")
        #expect(try FilterMessagePush(decoding: push.encoded()) == push)

        #expect(
            throws: WakuCodecError.invalidValue(
                field: "FilterSubscribeRequest.filter_subscribe_type", reason: "unknown 4")
        ) {
            _ = try FilterSubscribeRequest(decoding: RawProto.stringField(1, "x") + RawProto.varintField(2, 4))
        }
        let tooMany = RawProto.stringField(1, "x") + (0...100).flatMap { RawProto.stringField(11, "/a/1/t\($0)/c") }
        #expect(throws: WakuCodecError.tooMany(what: "FilterSubscribeRequest.content_topics", count: 101, limit: 100)) {
            _ = try FilterSubscribeRequest(decoding: tooMany)
        }
        #expect(throws: WakuCodecError.missingField("MessagePush.pubsub_topic")) {
            _ = try FilterMessagePush(decoding: RawProto.bytesField(1, message.encoded()))
        }
    }

    @Test func store() throws {
        let query = StoreQueryRequest(
            requestID: "s", includeData: true, pubsubTopic: "/waku/2/rs/1/0", contentTopics: ["/a/1/b/c"],
            timeStart: -1, timeEnd: 1_000, paginationCursor: hashA, paginationForward: true, paginationLimit: 50)
        #expect(try StoreQueryRequest(decoding: query.encoded()) == query)
        let byHash = StoreQueryRequest(requestID: "h", messageHashes: [hashA])
        #expect(try StoreQueryRequest(decoding: byHash.encoded()) == byHash)
        let response = StoreQueryResponse(
            requestID: "s", statusCode: 200, statusDescription: "OK",
            messages: [
                .init(messageHash: hashA, message: message, pubsubTopic: "/waku/2/rs/1/0"), .init(messageHash: hashA),
            ],
            paginationCursor: hashA)
        #expect(try StoreQueryResponse(decoding: response.encoded()) == response)

        #expect(
            throws: WakuCodecError.invalidValue(
                field: "StoreQueryRequest.pagination_cursor", reason: "31 bytes, not 32")
        ) {
            _ = try StoreQueryRequest(
                decoding: RawProto.stringField(1, "s") + RawProto.bytesField(51, [UInt8](repeating: 0, count: 31)))
        }
        #expect(throws: WakuCodecError.missingField("StoreQueryResponse.status_code")) {
            _ = try StoreQueryResponse(decoding: RawProto.stringField(1, "s"))
        }
        let entryWithoutTopic = RawProto.bytesField(1, hashA.bytes) + RawProto.bytesField(2, message.encoded())
        #expect(throws: WakuCodecError.missingField("WakuMessageKeyValue.pubsub_topic")) {
            _ = try StoreQueryResponse(
                decoding: RawProto.stringField(1, "s") + RawProto.varintField(10, 200)
                    + RawProto.bytesField(20, entryWithoutTopic))
        }
        let page =
            RawProto.stringField(1, "s") + RawProto.varintField(10, 200)
            + (0...100).flatMap { _ in RawProto.bytesField(20, RawProto.bytesField(1, hashA.bytes)) }
        #expect(throws: WakuCodecError.tooMany(what: "StoreQueryResponse.messages", count: 101, limit: 100)) {
            _ = try StoreQueryResponse(decoding: page)
        }
    }

    @Test func metadata() throws {
        let local = MetadataMessage(clusterID: 1, shards: [0, 3, 7])
        #expect(try MetadataMessage(decoding: local.encoded()) == local)
        // Old encoders: unpacked field 2 only; packed field 2; and the absence of a cluster.
        let unpacked = RawProto.varintField(1, 1) + RawProto.varintField(2, 4) + RawProto.varintField(2, 5)
        #expect(try MetadataMessage(decoding: unpacked) == MetadataMessage(clusterID: 1, shards: [4, 5]))
        let packed2 = RawProto.varintField(1, 1) + RawProto.bytesField(2, [1, 2])
        #expect(try MetadataMessage(decoding: packed2) == MetadataMessage(clusterID: 1, shards: [1, 2]))
        #expect(try MetadataMessage(decoding: []) == MetadataMessage(clusterID: nil, shards: []))
        #expect(
            throws: WakuCodecError.invalidValue(field: "WakuMetadata.shards", reason: "shard 1024 is not below 1024")
        ) {
            _ = try MetadataMessage(decoding: RawProto.varintField(2, 1024))
        }
        #expect(throws: WakuCodecError.truncated("WakuMetadata.shards")) {
            _ = try MetadataMessage(decoding: RawProto.bytesField(3, [0x80]))
        }

        let policy = MetadataPolicy(clusterID: 1, shards: [0])
        #expect(policy.disconnectReason(for: MetadataMessage(clusterID: 1, shards: [])) == nil)
        #expect(
            policy.disconnectReason(for: MetadataMessage(clusterID: 16, shards: [])) == "peer is in cluster 16, not 1")
        #expect(
            policy.disconnectReason(for: MetadataMessage(clusterID: nil, shards: [])) == "peer reports no cluster id")
    }

    @Test func peerExchange() throws {
        let query = PeerExchangeRPC.query(numPeers: 20)
        #expect(try PeerExchangeRPC(decoding: query.encoded()) == query)
        let response = PeerExchangeRPC.response(enrs: [[1, 2, 3], [4]])
        #expect(try PeerExchangeRPC(decoding: response.encoded()) == response)
        #expect(throws: WakuCodecError.tooLarge(what: "PeerInfo.enr", size: 301, limit: 300)) {
            _ = try PeerExchangeRPC(
                decoding: RawProto.bytesField(
                    2, RawProto.bytesField(1, RawProto.bytesField(1, [UInt8](repeating: 1, count: 301)))))
        }
        #expect(throws: WakuCodecError.missingField("PeerInfo.enr")) {
            _ = try PeerExchangeRPC(decoding: RawProto.bytesField(2, RawProto.bytesField(1, [])))
        }
    }
}
