import NimbusMultiformats
import Testing

@testable import NimbusLibp2p

/// The whole upgrade (multistream, Noise, multistream inside Noise) between two state machines, without sockets.
@Suite struct ConnectionUpgradeTests {
    struct Outcome {
        var dialer: ConnectionUpgrade.Upgraded?
        var listener: ConnectionUpgrade.Upgraded?
        var failures: [String] = []
    }

    static func run(
        dialerMuxers: [MuxerKind], listenerMuxers: [MuxerKind], feeding: Feeding,
        dialerKey: IdentityKey = .generateEd25519(), listenerKey: IdentityKey = .generateSecp256k1()
    ) throws -> Outcome {
        var dialer = try ConnectionUpgrade(
            isInitiator: true, identity: dialerKey, expectedPeer: listenerKey.peerID, muxers: dialerMuxers,
            maxHandshakeMessageLength: 8192
        )
        var listener = try ConnectionUpgrade(
            isInitiator: false, identity: listenerKey, expectedPeer: nil, muxers: listenerMuxers,
            maxHandshakeMessageLength: 8192
        )
        var dialerResult: ConnectionUpgrade.Upgraded?
        var listenerResult: ConnectionUpgrade.Upgraded?
        var failures: [String] = []
        var toListener: [UInt8] = []
        var toDialer: [UInt8] = []
        func absorb(
            _ actions: [ConnectionUpgrade.Action], outbox: inout [UInt8], result: inout ConnectionUpgrade.Upgraded?
        ) {
            for action in actions {
                switch action {
                case .send(let bytes): outbox += bytes
                case .upgraded(let done): result = done
                case .failed(let failure): failures.append(failure.description)
                }
            }
        }
        absorb(dialer.start(), outbox: &toListener, result: &dialerResult)
        absorb(listener.start(), outbox: &toDialer, result: &listenerResult)
        var rounds = 0
        while (!toListener.isEmpty || !toDialer.isEmpty) && rounds < 20 {
            rounds += 1
            let forListener = toListener
            toListener = []
            for chunk in feeding.split(forListener) {
                absorb(listener.receive(chunk), outbox: &toDialer, result: &listenerResult)
            }
            let forDialer = toDialer
            toDialer = []
            for chunk in feeding.split(forDialer) {
                absorb(dialer.receive(chunk), outbox: &toListener, result: &dialerResult)
            }
        }
        return Outcome(dialer: dialerResult, listener: listenerResult, failures: failures)
    }

    @Test(arguments: Feeding.allCases) func upgradesWithThePreferredCommonMuxer(feeding: Feeding) throws {
        let dialerKey = IdentityKey.generateEd25519()
        let listenerKey = IdentityKey.generateSecp256k1()
        let outcome = try Self.run(
            dialerMuxers: [.yamux, .mplex], listenerMuxers: [.mplex], feeding: feeding,
            dialerKey: dialerKey, listenerKey: listenerKey
        )
        #expect(outcome.failures.isEmpty)
        var dialer = try #require(outcome.dialer)
        var listener = try #require(outcome.listener)
        #expect(dialer.muxer == .mplex && listener.muxer == .mplex)
        #expect(dialer.remotePeer == listenerKey.peerID && listener.remotePeer == dialerKey.peerID)
        #expect(try listener.transport.decrypt(try dialer.transport.encrypt([1, 2, 3])) == [1, 2, 3])
    }

    @Test func noCommonMuxerFails() throws {
        let outcome = try Self.run(dialerMuxers: [.yamux], listenerMuxers: [.mplex], feeding: .batched)
        #expect(outcome.dialer == nil && outcome.listener == nil)
        #expect(outcome.failures.contains { $0.hasPrefix("muxer negotiation failed") })
    }
}
