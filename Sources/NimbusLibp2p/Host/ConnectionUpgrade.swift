import NimbusMultiformats

/// The upgrade of a raw TCP connection to a secured, multiplexed libp2p connection (libp2p/specs
/// connections/README.md, "Upgrading Connections"), as one state machine:
///
/// 1. multistream-select on the raw connection: the dialer proposes `/noise`;
/// 2. the Noise XX handshake (`NoiseHandshake`), which authenticates the remote peer id;
/// 3. multistream-select inside the encrypted channel: the dialer proposes its muxers in order of preference.
///
/// Bytes in, actions out; bytes that arrive early for a later phase are carried over.
struct ConnectionUpgrade: Sendable {
    /// The outcome of a successful upgrade.
    struct Upgraded: Sendable {
        var remotePeer: PeerID
        var remotePublicKey: Libp2pPublicKey
        var transport: NoiseTransport
        var muxer: MuxerKind
        /// Plaintext received after the muxer was agreed, for the muxer.
        var remainder: [UInt8]
    }

    enum Action: Sendable {
        /// Write these bytes to the socket.
        case send([UInt8])
        /// The connection is ready for the muxer.
        case upgraded(Upgraded)
        /// The upgrade failed; close the connection.
        case failed(UpgradeFailure)
    }

    private enum Phase: Sendable {
        case idle
        case security(MultistreamNegotiation)
        case handshake(NoiseHandshake)
        case muxer(MultistreamNegotiation, NoiseTransport, PeerID, Libp2pPublicKey)
        case done
    }

    private var phase: Phase = .idle
    private var handshake: NoiseHandshake?
    private let isInitiator: Bool
    private let muxers: [MuxerKind]
    private let maxNegotiationMessage: Int

    /// An upgrade for the dialer (`isInitiator`) or the listener; `expectedPeer` is the id a dialer expects.
    init(
        isInitiator: Bool, identity: IdentityKey, expectedPeer: PeerID?, muxers: [MuxerKind],
        maxHandshakeMessageLength: Int, maxNegotiationMessage: Int = MultistreamNegotiation.defaultMaxMessageLength
    ) throws {
        self.isInitiator = isInitiator
        self.muxers = muxers
        self.maxNegotiationMessage = maxNegotiationMessage
        handshake = try NoiseHandshake(
            isInitiator: isInitiator, identity: identity, expectedPeer: expectedPeer,
            maxMessageLength: maxHandshakeMessageLength
        )
    }

    /// Whether the upgrade has ended (upgraded or failed).
    var isFinished: Bool {
        if case .done = phase { return true }
        return false
    }

    /// Starts the security negotiation.
    mutating func start() -> [Action] {
        guard case .idle = phase else { return [] }
        var negotiation =
            isInitiator
            ? MultistreamNegotiation(proposing: [NoiseHandshake.protocolID], maxMessageLength: maxNegotiationMessage)
            : MultistreamNegotiation(supporting: [NoiseHandshake.protocolID], maxMessageLength: maxNegotiationMessage)
        let actions = negotiation.start()
        phase = .security(negotiation)
        return process(securityActions: actions)
    }

    /// Feeds bytes from the socket.
    mutating func receive(_ bytes: [UInt8]) -> [Action] {
        switch phase {
        case .idle, .done:
            return []
        case .security(var negotiation):
            let actions = negotiation.receive(bytes)
            phase = .security(negotiation)
            return process(securityActions: actions)
        case .handshake(var noise):
            let actions = noise.receive(bytes)
            phase = .handshake(noise)
            return process(handshakeActions: actions)
        case .muxer(var negotiation, var transport, let peer, let key):
            let plaintext: [UInt8]
            do {
                plaintext = try transport.decrypt(bytes)
            } catch {
                phase = .done
                return [.failed(.noise(error))]
            }
            let actions = negotiation.receive(plaintext)
            phase = .muxer(negotiation, transport, peer, key)
            return process(muxerActions: actions)
        }
    }

    private mutating func process(securityActions actions: [MultistreamNegotiation.Action]) -> [Action] {
        var output: [Action] = []
        for action in actions {
            switch action {
            case .send(let bytes):
                output.append(.send(bytes))
            case .failed(let error):
                phase = .done
                return output + [.failed(.securityNegotiation(error))]
            case .agreed(_, let remainder):
                var noise = handshake!
                handshake = nil
                var noiseActions = noise.start()
                if !remainder.isEmpty { noiseActions += noise.receive(remainder) }
                phase = .handshake(noise)
                return output + process(handshakeActions: noiseActions)
            }
        }
        return output
    }

    private mutating func process(handshakeActions actions: [NoiseHandshake.Action]) -> [Action] {
        var output: [Action] = []
        for action in actions {
            switch action {
            case .send(let bytes):
                output.append(.send(bytes))
            case .failed(let error):
                phase = .done
                return output + [.failed(.noise(error))]
            case .completed(var result):
                let ids = muxers.map(\.protocolID)
                var negotiation =
                    isInitiator
                    ? MultistreamNegotiation(proposing: ids, maxMessageLength: maxNegotiationMessage)
                    : MultistreamNegotiation(supporting: ids, maxMessageLength: maxNegotiationMessage)
                var muxerActions = negotiation.start()
                do {
                    let plaintext = try result.transport.decrypt(result.remainder)
                    if !plaintext.isEmpty { muxerActions += negotiation.receive(plaintext) }
                } catch {
                    phase = .done
                    return output + [.failed(.noise(error))]
                }
                phase = .muxer(negotiation, result.transport, result.remotePeer, result.remotePublicKey)
                return output + process(muxerActions: muxerActions)
            }
        }
        return output
    }

    private mutating func process(muxerActions actions: [MultistreamNegotiation.Action]) -> [Action] {
        guard case .muxer(let negotiation, var transport, let peer, let key) = phase else { return [] }
        var output: [Action] = []
        for action in actions {
            switch action {
            case .send(let bytes):
                do {
                    output.append(.send(try transport.encrypt(bytes)))
                } catch {
                    phase = .done
                    return output + [.failed(.noise(error))]
                }
            case .failed(let error):
                phase = .done
                return output + [.failed(.muxerNegotiation(error))]
            case .agreed(let protocolID, let remainder):
                phase = .done
                // The negotiation only agrees on protocols it was given, all of them muxer ids.
                let muxer = MuxerKind(rawValue: protocolID)!
                let upgraded = Upgraded(
                    remotePeer: peer, remotePublicKey: key, transport: transport, muxer: muxer, remainder: remainder
                )
                return output + [.upgraded(upgraded)]
            }
        }
        phase = .muxer(negotiation, transport, peer, key)
        return output
    }
}

/// Why a connection upgrade failed.
enum UpgradeFailure: Error, Sendable, CustomStringConvertible {
    /// Negotiating the security protocol failed (garbage before the handshake lands here).
    case securityNegotiation(MultistreamError)
    /// The Noise handshake or its framing failed.
    case noise(NoiseError)
    /// Negotiating the muxer failed.
    case muxerNegotiation(MultistreamError)

    var description: String {
        switch self {
        case .securityNegotiation(let error): "security negotiation failed: \(error)"
        case .noise(let error): "\(error)"
        case .muxerNegotiation(let error): "muxer negotiation failed: \(error)"
        }
    }
}
