import Crypto
import NimbusMultiformats

/// The libp2p Noise handshake as a state machine (libp2p/specs noise/README.md): `Noise_XX_25519_ChaChaPoly_SHA256`
/// with an empty prologue, each message framed by its 2-byte length, messages 2 and 3 carrying a
/// `NoiseHandshakePayload` that binds the sender's identity key to its Noise static key.
///
/// Bytes in, actions out; the result holds the transport ciphers, the verified remote peer and any bytes that
/// arrived after the last handshake message.
public struct NoiseHandshake: Sendable {
    /// The multistream protocol id of libp2p Noise.
    public static let protocolID = "/noise"
    /// Handshake messages are small (keys, one signature); this bound is far above real ones.
    public static let defaultMaxMessageLength = 8192

    /// The outcome of a completed handshake.
    public struct Result: Sendable {
        /// The verified identity of the peer.
        public let remotePeer: PeerID
        /// The peer's identity key.
        public let remotePublicKey: Libp2pPublicKey
        /// The transport ciphers and framing.
        public var transport: NoiseTransport
        /// Ciphertext bytes received after the last handshake message, for the transport.
        public let remainder: [UInt8]
        /// The stream muxers the peer listed in its payload extensions.
        public let remoteStreamMuxers: [String]
    }

    /// What the caller must do.
    public enum Action: Sendable {
        /// Write these (already framed) bytes to the peer.
        case send([UInt8])
        /// The handshake is done.
        case completed(Result)
        /// The handshake failed; close the connection.
        case failed(NoiseError)
    }

    private var state: NoiseHandshakeState
    private var decoder: NoiseFrameDecoder
    private let payload: [UInt8]
    private let expectedPeer: PeerID?
    private var finished = false

    /// A handshake for one side of a connection.
    ///
    /// - Parameters:
    ///   - isInitiator: whether this side dialed (and writes message 1).
    ///   - identity: the local identity key that signs the static key.
    ///   - expectedPeer: when dialing a known peer, the id the remote must prove.
    ///   - staticKey: the Noise static key; a fresh one per connection by default.
    public init(
        isInitiator: Bool, identity: IdentityKey, expectedPeer: PeerID? = nil,
        staticKey: Curve25519.KeyAgreement.PrivateKey = .init(),
        maxMessageLength: Int = NoiseHandshake.defaultMaxMessageLength
    ) throws {
        let staticPublic = Array(staticKey.publicKey.rawRepresentation)
        let signature = try identity.sign(NoiseHandshakePayload.signedMessage(staticKey: staticPublic))
        payload = NoiseHandshakePayload(identityKey: identity.publicKey.protobuf, identitySignature: signature).protobuf
        state = NoiseHandshakeState(isInitiator: isInitiator, staticKey: staticKey)
        decoder = NoiseFrameDecoder(maxFrameLength: maxMessageLength)
        self.expectedPeer = expectedPeer
    }

    /// Starts: the initiator sends message 1 (an ephemeral key, empty payload); the responder waits.
    public mutating func start() -> [Action] {
        guard state.isInitiator, state.messageCount == 0 else { return [] }
        return step { (machine: inout NoiseHandshake) throws(NoiseError) in
            [.send(NoiseFrameDecoder.frame(try machine.state.writeMessage(payload: [])))]
        }
    }

    /// Feeds bytes from the peer, in any split.
    public mutating func receive<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [Action] {
        guard !finished else { return [] }
        decoder.append(bytes)
        return step { (machine: inout NoiseHandshake) throws(NoiseError) in
            var actions: [Action] = []
            while !machine.finished, let frame = try machine.decoder.next() {
                actions += try machine.handle(frame)
            }
            return actions
        }
    }

    private mutating func step(_ body: (inout NoiseHandshake) throws(NoiseError) -> [Action]) -> [Action] {
        do {
            return try body(&self)
        } catch {
            finished = true
            return [.failed(error)]
        }
    }

    private mutating func handle(_ frame: [UInt8]) throws(NoiseError) -> [Action] {
        guard !state.isOurTurn else { throw .unexpectedMessage }
        let received = try state.readMessage(frame)
        switch (state.isInitiator, state.messageCount) {
        case (false, 1):
            // Message 1's payload is empty by the spec; anything there is unauthenticated and ignored.
            return [.send(NoiseFrameDecoder.frame(try state.writeMessage(payload: payload)))]
        case (true, 2):
            let (peer, key, muxers) = try verify(received)
            let reply = NoiseFrameDecoder.frame(try state.writeMessage(payload: payload))
            return [.send(reply), .completed(complete(peer: peer, key: key, muxers: muxers))]
        default:
            let (peer, key, muxers) = try verify(received)
            return [.completed(complete(peer: peer, key: key, muxers: muxers))]
        }
    }

    /// Checks the payload: a supported identity key whose signature covers the static key just received.
    private func verify(_ bytes: [UInt8]) throws(NoiseError) -> (PeerID, Libp2pPublicKey, [String]) {
        let payload: NoiseHandshakePayload
        do {
            payload = try NoiseHandshakePayload(protobuf: bytes)
        } catch {
            throw .invalidPayload(error.description)
        }
        let key: Libp2pPublicKey
        do {
            key = try Libp2pPublicKey(protobuf: payload.identityKey)
        } catch {
            throw .invalidIdentityKey(error.description)
        }
        guard key.keyType == .ed25519 || key.keyType == .secp256k1 else {
            throw .unsupportedKeyType(key.keyType.description)
        }
        let signed = NoiseHandshakePayload.signedMessage(staticKey: state.remoteStaticKey ?? [])
        guard key.isValidSignature(payload.identitySignature, for: signed) else { throw .invalidSignature }
        let peer = PeerID(publicKey: key)
        if let expectedPeer, expectedPeer != peer {
            throw .peerIDMismatch(expected: expectedPeer.description, actual: peer.description)
        }
        return (peer, key, payload.streamMuxers)
    }

    private mutating func complete(peer: PeerID, key: Libp2pPublicKey, muxers: [String]) -> Result {
        finished = true
        let (send, receive) = state.split()
        return Result(
            remotePeer: peer, remotePublicKey: key, transport: NoiseTransport(send: send, receive: receive),
            remainder: decoder.takeBuffered(), remoteStreamMuxers: muxers
        )
    }
}
