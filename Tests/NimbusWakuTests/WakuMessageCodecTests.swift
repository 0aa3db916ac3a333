import NimbusWaku
import Testing

/// 14/WAKU2-MESSAGE codec: round trips and strict refusals.
@Suite struct WakuMessageCodecTests {
    let sample = WakuMessage(
        payload: Array("hello".utf8), contentTopic: "/nimbus/1/pairing/proto", version: 1,
        timestamp: 1_700_000_000_123_456_789, meta: [1, 2, 3], ephemeral: true)

    @Test func roundTrip() throws {
        #expect(try WakuMessage(decoding: sample.encoded()) == sample)
        let minimal = WakuMessage(payload: [], contentTopic: "/a/1/b/c")
        #expect(try WakuMessage(decoding: minimal.encoded()) == minimal)
        let negative = WakuMessage(payload: [0], contentTopic: "/a/1/b/c", timestamp: -5)
        #expect(try WakuMessage(decoding: negative.encoded()) == negative)
    }

    /// The encoding matches a hand-built one: fields in number order, timestamp zigzag, ephemeral as 1.
    @Test func canonicalEncoding() {
        let expected =
            RawProto.bytesField(1, Array("hello".utf8)) + RawProto.stringField(2, "/nimbus/1/pairing/proto")
            + RawProto.varintField(3, 1) + RawProto.varintField(10, RawProto.zigzag(1_700_000_000_123_456_789))
            + RawProto.bytesField(11, [1, 2, 3]) + RawProto.varintField(31, 1)
        #expect(sample.encoded() == expected)
    }

    /// A rate-limit proof and unknown fields are read past.
    @Test func skipsProofAndUnknownFields() throws {
        let bytes =
            sample.encoded() + RawProto.bytesField(21, [9, 9, 9]) + RawProto.fixed32Field(99, 7)
            + RawProto.varintField(100, 5)
        #expect(try WakuMessage(decoding: bytes) == sample)
    }

    /// Every cut inside a field is refused (a cut between fields is a shorter valid message, as protobuf has no
    /// end marker; the frame length guards whole messages).
    @Test func refusesTruncation() {
        let fields = [
            RawProto.bytesField(1, Array("hello".utf8)), RawProto.stringField(2, "/nimbus/1/pairing/proto"),
            RawProto.varintField(3, 1), RawProto.varintField(10, RawProto.zigzag(1_700_000_000_123_456_789)),
            RawProto.bytesField(11, [1, 2, 3]), RawProto.varintField(31, 1),
        ]
        let bytes = fields.flatMap { $0 }
        #expect(bytes == sample.encoded())
        let boundaries = Set(fields.indices.map { fields[...$0].map(\.count).reduce(0, +) })
        for length in 1..<bytes.count where !boundaries.contains(length) {
            #expect(throws: WakuCodecError.self, "prefix of \(length) bytes") {
                _ = try WakuMessage(decoding: bytes.prefix(length))
            }
        }
    }

    @Test func refusesOversize() {
        let big = WakuMessage(
            payload: [UInt8](repeating: 7, count: WakuMessage.maxEncodedSize), contentTopic: "/a/1/b/c")
        #expect(throws: WakuCodecError.tooLarge(what: "WakuMessage", size: big.encoded().count, limit: 153_600)) {
            _ = try WakuMessage(decoding: big.encoded())
        }
    }

    @Test func refusesMissingContentTopic() {
        #expect(throws: WakuCodecError.missingField("WakuMessage.content_topic")) {
            _ = try WakuMessage(decoding: RawProto.bytesField(1, [1, 2]))
        }
        #expect(throws: WakuCodecError.missingField("WakuMessage.content_topic")) {
            _ = try WakuMessage(decoding: RawProto.bytesField(1, [1]) + RawProto.stringField(2, ""))
        }
    }

    @Test func refusesWrongWireTypes() {
        #expect(throws: WakuCodecError.wrongWireType(field: "WakuMessage.payload", wireType: 0)) {
            _ = try WakuMessage(decoding: RawProto.varintField(1, 5) + RawProto.stringField(2, "/a/1/b/c"))
        }
        #expect(throws: WakuCodecError.wrongWireType(field: "WakuMessage.timestamp", wireType: 2)) {
            _ = try WakuMessage(decoding: RawProto.stringField(2, "/a/1/b/c") + RawProto.bytesField(10, [1]))
        }
        #expect(throws: WakuCodecError.wrongWireType(field: "WakuMessage.version", wireType: 5)) {
            _ = try WakuMessage(decoding: RawProto.stringField(2, "/a/1/b/c") + RawProto.fixed32Field(3, 1))
        }
    }

    @Test func refusesGroupsAndBadKeys() {
        #expect(throws: WakuCodecError.unsupportedWireType(3)) {
            _ = try WakuMessage(decoding: RawProto.key(5, 3))
        }
        #expect(throws: WakuCodecError.invalidFieldNumber(0)) {
            _ = try WakuMessage(decoding: RawProto.varintField(0, 1))
        }
        #expect(throws: WakuCodecError.malformedVarint) {
            _ = try WakuMessage(decoding: [0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01])
        }
    }

    @Test func refusesDuplicatesAndBadValues() {
        let topic = RawProto.stringField(2, "/a/1/b/c")
        #expect(throws: WakuCodecError.duplicateField("WakuMessage.content_topic")) {
            _ = try WakuMessage(decoding: topic + topic)
        }
        #expect(throws: WakuCodecError.tooLarge(what: "WakuMessage.meta", size: 65, limit: 64)) {
            _ = try WakuMessage(decoding: topic + RawProto.bytesField(11, [UInt8](repeating: 0, count: 65)))
        }
        #expect(throws: WakuCodecError.invalidValue(field: "WakuMessage.content_topic", reason: "not UTF-8")) {
            _ = try WakuMessage(decoding: RawProto.bytesField(2, [0xC3, 0x28]))
        }
        #expect(throws: WakuCodecError.invalidValue(field: "WakuMessage.ephemeral", reason: "bool is neither 0 nor 1"))
        {
            _ = try WakuMessage(decoding: topic + RawProto.varintField(31, 2))
        }
        #expect(throws: WakuCodecError.invalidValue(field: "WakuMessage.version", reason: "above 2^32 - 1")) {
            _ = try WakuMessage(decoding: topic + RawProto.varintField(3, 1 << 32))
        }
    }

    @Test func errorsReadClearly() {
        #expect(
            WakuCodecError.missingField("WakuMessage.content_topic").description
                == "required field WakuMessage.content_topic is missing")
        #expect(
            WakuCodecError.tooLarge(what: "frame", size: 10, limit: 5).description
                == "frame of 10 bytes exceeds the limit of 5")
    }
}
