import Logging
import NimbusMultiformats
import Testing

@testable import NimbusLibp2p

/// Misbehaving peers, each over a real TCP connection to a Swift listener that also holds a healthy connection:
/// the bad connection must close with exactly one log line giving the reason (no payload in it), and the
/// healthy one must keep working.
@Suite(.serialized) struct BadPeerTests {
    enum Ending { case listenerCloses, peerCloses }

    static func check(
        configuration: Libp2pConfiguration = HostFixtures.configuration(), reason: String,
        ending: Ending = .listenerCloses,
        misbehave: (Multiaddr) async throws -> RawPeer
    ) async throws {
        let logs = LogCapture()
        let (listener, address) = try await HostFixtures.listeningHost(configuration: configuration, logs: logs)
        let good = Libp2pHost(
            identity: .generateEd25519(), configuration: HostFixtures.configuration(), logger: LogCapture().logger()
        )
        defer {
            Task {
                await good.shutdown(); await listener.shutdown()
            }
        }
        let listenerID = try await good.dial(address)
        #expect(try await HostFixtures.roundTrip(good, to: listenerID, [1, 2, 3]) == [1, 2, 3])

        let bad = try await misbehave(address)
        let port = bad.localPort
        if ending == .listenerCloses {
            #expect(await bad.closedByPeer(within: .seconds(5)), "listener kept the bad connection open")
        }
        let deadline = ContinuousClock.now + .seconds(5)
        var lines: [LogCapture.Record] = []
        while ContinuousClock.now < deadline {
            lines = logs.closings.filter { $0.metadata["remote"]?.hasSuffix("/tcp/\(port)") == true }
            if !lines.isEmpty { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(100))
        lines = logs.closings.filter { $0.metadata["remote"]?.hasSuffix("/tcp/\(port)") == true }
        #expect(lines.count == 1, "expected one closing line for port \(port), got \(logs.closings.map(\.metadata))")
        #expect(lines.first?.metadata["reason"]?.contains(reason) == true, "\(lines.first?.metadata ?? [:])")
        #expect(lines.first?.level == .notice)
        // Only the bad connection closed, and the healthy one still carries streams.
        #expect(logs.closings.count == 1)
        #expect(good.isConnected(to: listenerID))
        #expect(try await HostFixtures.roundTrip(good, to: listenerID, [4, 5, 6]) == [4, 5, 6])
        // Nothing the peer sent shows up in the logs.
        for record in logs.all {
            #expect(!record.message.contains("HTTP") && !record.metadata.values.contains { $0.contains("HTTP") })
        }
        await bad.close()
    }

    @Test func garbageBeforeHandshake() async throws {
        try await Self.check(reason: "security negotiation failed") { address in
            let peer = try await RawPeer.connect(to: address)
            try await peer.send(Array("GET / HTTP/1.1\r\nHost: nimbus\r\nAccept: */*\r\n\r\n".utf8))
            return peer
        }
    }

    @Test func garbageInsideTheEncryptedChannel() async throws {
        try await Self.check(reason: "muxer: malformed frame") { address in
            let peer = try await RawPeer.connect(to: address)
            var upgraded = try await peer.upgrade(muxers: [.yamux])
            try await peer.send(try upgraded.transport.encrypt(Array("HTTP garbage, not a yamux frame".utf8)))
            return peer
        }
    }

    @Test func unencryptedGarbageAfterHandshake() async throws {
        try await Self.check(reason: "noise: decryption failed") { address in
            let peer = try await RawPeer.connect(to: address)
            _ = try await peer.upgrade(muxers: [.yamux])
            try await peer.send([0x00, 0x20] + Array("HTTP/1.1 200 OK, not ciphertext".utf8) + [0x0A])
            return peer
        }
    }

    @Test func oversizeNoiseHandshakeFrame() async throws {
        try await Self.check(reason: "noise: frame of 65535 bytes above limit 8192") { address in
            let peer = try await RawPeer.connect(to: address)
            let negotiation = MultistreamMessage.encode(MultistreamMessage.header) + MultistreamMessage.encode("/noise")
            try await peer.send(negotiation + [0xFF, 0xFF, 1, 2, 3])
            return peer
        }
    }

    @Test func oversizeMuxerFrame() async throws {
        try await Self.check(reason: "above limit 1048576") { address in
            let peer = try await RawPeer.connect(to: address)
            var upgraded = try await peer.upgrade(muxers: [.mplex])
            #expect(upgraded.muxer == .mplex)
            let header = Varint.encode(0 << 3 | 2) + Varint.encode(2 << 20)
            try await peer.send(try upgraded.transport.encrypt(header + [0, 0, 0]))
            return peer
        }
    }

    @Test func tooManyStreams() async throws {
        var configuration = HostFixtures.configuration()
        configuration.maxStreamsPerConnection = 4
        try await Self.check(configuration: configuration, reason: "too many streams (limit 4)") { address in
            let peer = try await RawPeer.connect(to: address)
            var upgraded = try await peer.upgrade(muxers: [.yamux])
            var frames: [UInt8] = []
            for number in stride(from: UInt32(1), through: 9, by: 2) {
                frames += YamuxFrame(type: .windowUpdate, flags: .syn, streamID: number).encoded
            }
            try await peer.send(try upgraded.transport.encrypt(frames))
            return peer
        }
    }

    @Test func stalledPeer() async throws {
        var configuration = HostFixtures.configuration()
        configuration.handshakeTimeout = .seconds(1)
        try await Self.check(configuration: configuration, reason: "handshake timed out") { address in
            let peer = try await RawPeer.connect(to: address)
            // Half of the multistream header, then silence.
            try await peer.send(Array(MultistreamMessage.encode(MultistreamMessage.header).prefix(8)))
            return peer
        }
    }

    @Test func disconnectMidMessage() async throws {
        try await Self.check(reason: "peer disconnected mid-message", ending: .peerCloses) { address in
            let peer = try await RawPeer.connect(to: address)
            var upgraded = try await peer.upgrade(muxers: [.yamux])
            let frame = try upgraded.transport.encrypt(
                YamuxFrame(type: .data, streamID: 1, payload: [1, 2, 3]).encoded)
            try await peer.send(Array(frame.prefix(frame.count / 2)))
            try await Task.sleep(for: .milliseconds(50))
            await peer.close()
            return peer
        }
    }

    @Test func disconnectMidHandshake() async throws {
        try await Self.check(reason: "peer disconnected during the handshake", ending: .peerCloses) { address in
            let peer = try await RawPeer.connect(to: address)
            try await peer.send(
                MultistreamMessage.encode(MultistreamMessage.header) + MultistreamMessage.encode("/noise"))
            try await Task.sleep(for: .milliseconds(50))
            await peer.close()
            return peer
        }
    }

    @Test func connectionLimit() async throws {
        var configuration = HostFixtures.configuration()
        configuration.maxConnections = 1
        try await Self.check(configuration: configuration, reason: "connection limit reached") { address in
            try await RawPeer.connect(to: address)
        }
    }
}
