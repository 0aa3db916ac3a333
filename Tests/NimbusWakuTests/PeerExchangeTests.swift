import NimbusMultiformats
import NimbusWaku
import Testing

/// 34/WAKU2-PEER-EXCHANGE: reading ENRs into dialable candidates, and the node's client end to end.
@Suite struct PeerExchangeTests {
    static func enr(cluster: UInt16, waku2: UInt8, ip: [UInt8] = [127, 0, 0, 1], tcp: UInt64 = 30303, seed: UInt8 = 1)
        throws -> ENR
    {
        var secret = [UInt8](repeating: 0, count: 32)
        secret[31] = seed
        let rs: [UInt8] = [UInt8(cluster >> 8), UInt8(cluster & 0xFF), 2, 0, 0, 0, 5]
        return try ENR(
            sequence: 1,
            entries: ["ip": .bytes(ip), "tcp": .unsignedInteger(tcp), "waku2": .bytes([waku2]), "rs": .bytes(rs)],
            secretKey: secret)
    }

    @Test func candidatesFromENRs() throws {
        let services = try Self.enr(cluster: 1, waku2: 0b1110)
        let candidate = try #require(
            PeerExchangeCandidate(enr: services.rlp, clusterID: 1, wanted: [.lightpush, .filter, .store]))
        #expect(candidate.addresses == ["/ip4/127.0.0.1/tcp/30303/p2p/\(services.peerID)"])
        #expect(candidate.peer.rawValue == services.peerID.description)
        #expect(candidate.capabilities.contains(.store))
        #expect(candidate.shards == RelayShards(cluster: 1, shards: [0, 5]))

        // Another cluster, no wanted service, or a forged record: refused.
        #expect(
            PeerExchangeCandidate(enr: try Self.enr(cluster: 16, waku2: 0b1110).rlp, clusterID: 1, wanted: [.store])
                == nil)
        #expect(
            PeerExchangeCandidate(enr: try Self.enr(cluster: 1, waku2: 0b0001).rlp, clusterID: 1, wanted: [.store])
                == nil)
        var forged = services.rlp
        forged[forged.count - 1] ^= 1
        #expect(PeerExchangeCandidate(enr: forged, clusterID: 1, wanted: [.store]) == nil)
    }

    /// A node asks a connected peer-exchange peer for peers and dials what it learns.
    @Test func nodeDialsLearnedPeers() async throws {
        let network = InMemoryNetwork()
        let exchangeTransport = network.makeTransport("exchange")
        let learned = try Self.enr(cluster: 1, waku2: 0b1110, ip: [127, 0, 0, 2], tcp: 40000, seed: 2)
        let other = try Self.enr(cluster: 16, waku2: 0b1110, seed: 3)
        await exchangeTransport.setHandler(for: WakuProtocolID.metadata) { _, stream in
            _ = try? await stream.readFrame(maxSize: 1024)
            try? await stream.writeFrame(MetadataMessage(clusterID: 1, shards: [0]).encoded())
            await stream.close()
        }
        await exchangeTransport.setHandler(for: WakuProtocolID.peerExchange) { _, stream in
            guard let query = try? PeerExchangeRPC(decoding: await stream.readFrame(maxSize: 1024)) else { return }
            #expect(query.numPeersRequested == 20)
            try? await stream.writeFrame(PeerExchangeRPC.response(enrs: [learned.rlp, other.rlp]).encoded())
            await stream.close()
        }
        var configuration = NodeInMemoryTests.configuration(.client, bootstrap: [exchangeTransport.address])
        configuration.connections.targetPeers = 3
        let clientTransport = network.makeTransport("client")
        let node = WakuNode(configuration: configuration, transport: clientTransport, seed: 30)
        await node.start()
        let expected = "/ip4/127.0.0.2/tcp/40000/p2p/\(learned.peerID)"
        #expect(await eventually { clientTransport.dialled.contains(expected) })
        #expect(!clientTransport.dialled.contains { $0.contains(other.peerID.description) })
        await node.stop()
    }
}
