import NimbusWaku
import Testing

/// 14/WAKU2-MESSAGE deterministic hashing and RELAY-SHARDING autosharding against the shared vectors.
@Suite struct MessageHashVectorTests {
    @Test func messageHashVectors() throws {
        let json = try TestVectors.wakuJSON("message_hash.json")
        let vectors = try #require(json["vectors"] as? [[String: Any]])
        #expect(vectors.count == 4)
        for vector in vectors {
            let pubsubTopic = try #require(vector["pubsub_topic"] as? String)
            let timestamp = UInt64(try #require(vector["timestamp"] as? String), radix: 16)!
            let message = WakuMessage(
                payload: hex(try #require(vector["payload"] as? String)),
                contentTopic: try #require(vector["content_topic"] as? String),
                timestamp: Int64(bitPattern: timestamp),
                meta: (vector["meta"] as? String).map(hex) ?? [])
            let hash = WakuMessageHash(pubsubTopic: pubsubTopic, message: message)
            #expect(hash.description == vector["message_hash"] as? String)
            // The hash is of the fields, so it survives a codec round trip.
            let decoded = try WakuMessage(decoding: message.encoded())
            #expect(WakuMessageHash(pubsubTopic: pubsubTopic, message: decoded) == hash)
        }
    }

    @Test func autoshardingVector() throws {
        let json = try TestVectors.wakuJSON("message_hash.json")
        let vectors = try #require(json["autosharding"] as? [[String: Any]])
        #expect(!vectors.isEmpty)
        for vector in vectors {
            let shards = try #require(vector["shards"] as? Int)
            let sharding = AutoSharding(cluster: 1, shardCount: UInt16(shards))
            let application = try #require(vector["application"] as? String)
            let version = try #require(vector["version"] as? String)
            #expect(Int(sharding.shardIndex(application: application, version: version)) == vector["shard"] as? Int)
            let topic = try sharding.shard(forContentTopic: "/\(application)/\(version)/any-topic/proto")
            #expect(topic.pubsubTopic == "/waku/2/rs/1/\(try #require(vector["shard"] as? Int))")
        }
    }

    /// The spec's worked example: sha256("myapp1") = 0x8e54...4928.
    @Test func autoshardingExampleDigest() {
        #expect(
            hexString(sha256(Array("myapp1".utf8)))
                == "8e541178adbd8126068c47be6a221d77d64837221893a8e4e53139fb802d4928")
    }
}
