import NimbusWaku
import Testing

/// The gossipsub RPC codec.
@Suite struct GossipRPCCodecTests {
    @Test func roundTrip() throws {
        let rpc = GossipRPC(
            subscriptions: [.init(subscribe: true, topic: "/waku/2/rs/1/0"), .init(subscribe: false, topic: "t")],
            messages: [.init(topic: "/waku/2/rs/1/0", data: [1, 2, 3])],
            control: .init(
                ihave: [.init(topic: "/waku/2/rs/1/0", messageIDs: [[1], [2, 2]])], iwant: [[[3]]],
                graft: ["/waku/2/rs/1/0"], prune: [.init(topic: "x", backoffSeconds: 60)], idontwant: [[[9]]]))
        #expect(try GossipRPC(decoding: rpc.encoded()) == rpc)
        #expect(try GossipRPC(decoding: []) == GossipRPC())
    }

    /// StrictNoSign messages carry only data and topic.
    @Test func strictNoSignEncoding() throws {
        let message = GossipRPC.Message(topic: "t", data: [7])
        #expect(message.encoded() == RawProto.bytesField(2, [7]) + RawProto.stringField(4, "t"))
        #expect(message.isStrictNoSign)
        let signed =
            RawProto.bytesField(1, [1]) + RawProto.bytesField(2, [7]) + RawProto.bytesField(3, [0, 1])
            + RawProto.stringField(4, "t")
        let decoded = try GossipRPC(decoding: RawProto.bytesField(2, signed))
        #expect(decoded.messages[0].isStrictNoSign == false)
    }

    @Test func refusesBadInput() {
        #expect(throws: WakuCodecError.missingField("Message.topic")) {
            _ = try GossipRPC(decoding: RawProto.bytesField(2, RawProto.bytesField(2, [1])))
        }
        #expect(throws: WakuCodecError.missingField("SubOpts.topicid")) {
            _ = try GossipRPC(decoding: RawProto.bytesField(1, RawProto.varintField(1, 1)))
        }
        #expect(throws: WakuCodecError.duplicateField("RPC.control")) {
            _ = try GossipRPC(decoding: RawProto.bytesField(3, []) + RawProto.bytesField(3, []))
        }
        #expect(throws: WakuCodecError.wrongWireType(field: "RPC.publish", wireType: 0)) {
            _ = try GossipRPC(decoding: RawProto.varintField(2, 1))
        }
        var limits = GossipRPC.Limits.relay
        limits.maxMessageIDs = 3
        let ihave = RawProto.stringField(1, "t") + (0..<4).flatMap { RawProto.bytesField(2, [UInt8($0)]) }
        #expect(throws: WakuCodecError.tooMany(what: "message ids", count: 4, limit: 3)) {
            _ = try GossipRPC(decoding: RawProto.bytesField(3, RawProto.bytesField(1, ihave)), limits: limits)
        }
        #expect(throws: WakuCodecError.invalidValue(field: "ControlIWant.messageIDs", reason: "empty message id")) {
            _ = try GossipRPC(decoding: RawProto.bytesField(3, RawProto.bytesField(2, RawProto.bytesField(1, []))))
        }
        limits = .relay
        limits.maxEncodedSize = 10
        #expect(throws: WakuCodecError.tooLarge(what: "gossipsub RPC", size: 11, limit: 10)) {
            _ = try GossipRPC(decoding: [UInt8](repeating: 0, count: 11), limits: limits)
        }
    }
}
