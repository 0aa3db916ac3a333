import Foundation
import NimbusMultiformats
import Testing

@testable import NimbusLibp2p

/// Two Swift hosts over loopback TCP: every key type and muxer, echo streams, identify and ping.
@Suite(.serialized) struct HostTests {
    static let combinations: [(Libp2pPublicKey.KeyType, MuxerKind)] = [
        (.ed25519, .yamux), (.ed25519, .mplex), (.secp256k1, .yamux), (.secp256k1, .mplex),
    ]

    @Test(arguments: 0..<4) func echoIdentifyPing(_ index: Int) async throws {
        let (keyType, muxer) = Self.combinations[index]
        let (listener, address) = try await HostFixtures.listeningHost(
            keyType, configuration: HostFixtures.configuration(muxers: [muxer])
        )
        let dialer = Libp2pHost(
            identity: HostFixtures.identity(keyType), configuration: HostFixtures.configuration(muxers: [muxer]),
            logger: LogCapture().logger()
        )
        defer {
            Task {
                await dialer.shutdown(); await listener.shutdown()
            }
        }

        let peer = try await dialer.dial(address)
        #expect(peer == listener.peerID)

        let small: [UInt8] = Array("hello nimbus".utf8)
        #expect(try await HostFixtures.roundTrip(dialer, to: peer, small) == small)
        // Larger than a yamux window and a Noise frame, so flow control and frame splitting both run.
        let large = (0..<(700 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(try await HostFixtures.roundTrip(dialer, to: peer, large) == large)

        let record = try await dialer.identify(peer)
        #expect(record.protocols.contains(HostFixtures.echoProtocol))
        #expect(record.publicKey == listener.identity.publicKey.protobuf)
        #expect(record.listenMultiaddrs.count == 1)

        let rtt = try await dialer.ping(peer)
        #expect(rtt < .seconds(2))
    }

    @Test func concurrentStreams() async throws {
        let (listener, address) = try await HostFixtures.listeningHost()
        let dialer = Libp2pHost(
            identity: .generateEd25519(), configuration: HostFixtures.configuration(), logger: LogCapture().logger()
        )
        defer {
            Task {
                await dialer.shutdown(); await listener.shutdown()
            }
        }
        let peer = try await dialer.dial(address)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<32 {
                group.addTask {
                    let payload = (0..<(index * 1000 + 1)).map { UInt8(truncatingIfNeeded: $0 + index) }
                    return try await HostFixtures.roundTrip(dialer, to: peer, payload) == payload
                }
            }
            for try await matched in group { #expect(matched) }
        }
    }

    @Test func unsupportedProtocolIsRefused() async throws {
        let (listener, address) = try await HostFixtures.listeningHost()
        let dialer = Libp2pHost(
            identity: .generateEd25519(), configuration: HostFixtures.configuration(), logger: LogCapture().logger()
        )
        defer {
            Task {
                await dialer.shutdown(); await listener.shutdown()
            }
        }
        let peer = try await dialer.dial(address)
        await #expect(throws: Libp2pError.negotiationFailed(.noCommonProtocol(["/nope/1.0.0"]))) {
            _ = try await dialer.newStream(to: peer, protocols: ["/nope/1.0.0"])
        }
        // The connection survives a refused stream.
        #expect(try await HostFixtures.roundTrip(dialer, to: peer, [1, 2, 3]) == [1, 2, 3])
    }

    @Test func dialingTheWrongPeerFails() async throws {
        let (listener, address) = try await HostFixtures.listeningHost()
        let dialer = Libp2pHost(
            identity: .generateEd25519(), configuration: HostFixtures.configuration(), logger: LogCapture().logger()
        )
        defer {
            Task {
                await dialer.shutdown(); await listener.shutdown()
            }
        }
        let impostor = IdentityKey.generateEd25519().peerID
        let wrong = address.withoutPeerID.appending(.p2p(impostor))
        await #expect(throws: Libp2pError.self) { try await dialer.dial(wrong) }
        #expect(!dialer.isConnected(to: listener.peerID))
    }

    @Test func eventsAndIdentifyOnConnect() async throws {
        let (listener, address) = try await HostFixtures.listeningHost()
        var configuration = HostFixtures.configuration()
        configuration.identifyOnConnect = true
        let dialer = Libp2pHost(
            identity: .generateSecp256k1(), configuration: configuration, logger: LogCapture().logger())
        let peer = try await dialer.dial(address)
        var iterator = dialer.events.makeAsyncIterator()
        #expect(await iterator.next() == .connected(peer: peer, address: address.withoutPeerID, direction: .outbound))
        guard case .identified(let identified, let record) = await iterator.next() else {
            Issue.record("no identify event")
            return
        }
        #expect(identified == peer && dialer.identifyRecord(of: peer) == record)
        #expect(record.observedMultiaddr?.components.first == .ip4(.loopback))
        dialer.disconnect(peer)
        guard case .disconnected(let gone, let reason) = await iterator.next() else {
            Issue.record("no disconnect event")
            return
        }
        #expect(gone == peer && reason == "closed locally")
        #expect(!dialer.isConnected(to: peer))
        await dialer.shutdown()
        await listener.shutdown()
    }
}
