import NimbusWaku
import Testing

/// Length-prefixed framing, content topics and shards.
@Suite struct FramingAndTopicTests {
    /// Frames fed one byte at a time, whole, and in a batch decode the same.
    @Test func dripFeedWholeAndBatch() throws {
        let bodies: [[UInt8]] = [[], [1], [UInt8](repeating: 9, count: 300), [UInt8](repeating: 3, count: 20_000)]
        let stream = bodies.flatMap { LengthPrefixedFrames.encode($0) }
        var drip = LengthPrefixedFrames(maxFrameSize: 65_536)
        var dripped: [[UInt8]] = []
        for byte in stream {
            drip.append([byte])
            while let frame = try drip.next() { dripped.append(frame) }
        }
        #expect(dripped == bodies)
        var batch = LengthPrefixedFrames(maxFrameSize: 65_536)
        batch.append(stream)
        var batched: [[UInt8]] = []
        while let frame = try batch.next() { batched.append(frame) }
        #expect(batched == bodies)
        #expect(!batch.hasPartialFrame)
    }

    @Test func refusesBadLengths() {
        var frames = LengthPrefixedFrames(maxFrameSize: 100)
        frames.append(RawProto.varint(101))
        #expect(throws: WakuCodecError.tooLarge(what: "frame", size: 101, limit: 100)) { _ = try frames.next() }
        var nonMinimal = LengthPrefixedFrames(maxFrameSize: 100)
        nonMinimal.append([0x81, 0x00])
        #expect(throws: WakuCodecError.malformedVarint) { _ = try nonMinimal.next() }
        var tooLong = LengthPrefixedFrames(maxFrameSize: 100)
        tooLong.append([UInt8](repeating: 0x80, count: 9) + [1])
        #expect(throws: WakuCodecError.malformedVarint) { _ = try tooLong.next() }
    }

    @Test func contentTopics() throws {
        let short = try ContentTopic("/myapp/1/mytopic/cbor")
        #expect(short.generation == nil && short.application == "myapp" && short.version == "1")
        #expect(short.description == "/myapp/1/mytopic/cbor")
        let full = try ContentTopic("/0/myapp/1/mytopic/cbor")
        #expect(full.generation == 0 && full.name == "mytopic" && full.encoding == "cbor")
        #expect(throws: ContentTopicError.mustStartWithSlash) { _ = try ContentTopic("myapp/1/t/c") }
        #expect(throws: ContentTopicError.wrongNumberOfParts(3)) { _ = try ContentTopic("/a/1/t") }
        #expect(throws: ContentTopicError.emptyPart("version")) { _ = try ContentTopic("/a//t/c") }
        #expect(throws: ContentTopicError.invalidGeneration("x")) { _ = try ContentTopic("/x/a/1/t/c") }
        #expect(throws: ContentTopicError.unsupportedGeneration(1)) {
            _ = try AutoSharding.theWakuNetwork.shard(forContentTopic: "/1/a/1/t/c")
        }
        // Generation 0 and no generation route alike; the topic name does not matter.
        let sharding = AutoSharding.theWakuNetwork
        #expect(try sharding.shard(forContentTopic: "/0/a/1/x/c") == sharding.shard(forContentTopic: "/a/1/y/proto"))
    }

    /// For 8 shards the RFC's whole-digest modulo equals nwaku's last-64-bit modulo.
    @Test func shardingMatchesNwakuForPowersOfTwo() {
        for shardCount: UInt16 in [1, 2, 8, 64, 1024] {
            let sharding = AutoSharding(cluster: 1, shardCount: shardCount)
            for index in 0..<200 {
                let digest = sha256(Array("app\(index)".utf8) + Array("\(index % 3)".utf8))
                let last64 = digest[24...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                #expect(
                    UInt64(sharding.shardIndex(application: "app\(index)", version: "\(index % 3)"))
                        == last64 % UInt64(shardCount))
            }
        }
    }

    @Test func relayShards() {
        #expect(RelayShard(pubsubTopic: "/waku/2/rs/1/7") == RelayShard(cluster: 1, shard: 7))
        #expect(RelayShard(cluster: 1, shard: 7)?.pubsubTopic == "/waku/2/rs/1/7")
        for bad in [
            "/waku/2/rs/1/", "/waku/2/rs/1/07", "/waku/2/rs/1/1024", "/waku/2/default-waku/proto", "/waku/2/rs/1/2/3",
        ] {
            #expect(RelayShard(pubsubTopic: bad) == nil, "\(bad)")
        }
        #expect(AutoSharding.theWakuNetwork.allShards.map(\.pubsubTopic).last == "/waku/2/rs/1/7")
    }
}
