import Crypto

/// The `Noise_WakuPairing_25519_ChaChaPoly_SHA256` handshake of 43/WAKU2-DEVICE-PAIRING, for either role, as a pure
/// state machine: it is handed received payloads and the person's verdict on the authorization code, and answers with
/// actions (bytes to publish, a code to show, the finished session). It does no I/O and draws no randomness.
///
///     pre-message   <- eB                  (the QR code; prologue = the QR string)
///     message 1     -> e, ee      {H(sA || s)}     nametag: the QR's nametag
///                   [both show the auth code; the person compares]
///     message 2     <- s, es      {r}              nametag: HKDF(h)[0..<16]
///     message 3     -> s, se, ss  {s}              nametag: HKDF(h)[0..<16]
///
/// The initiator (A) is the party that scans the QR: here the host. The responder (B) shows it: the GUI.
public struct WakuPairingHandshake: Sendable {
    public enum Role: Sendable, Equatable {
        /// A: scans the QR, sends messages 1 and 3.
        case initiator
        /// B: shows the QR, sends message 2.
        case responder
    }

    /// Where the handshake stands.
    public enum Phase: Sendable, Equatable {
        /// Initiator, before `start()`.
        case ready
        /// Responder: the QR is shown; waiting for message 1.
        case awaitingFirstMessage
        /// Both: the code is shown; waiting for `confirmAuthCode()` or `rejectAuthCode()`.
        case awaitingConfirmation
        /// Initiator: confirmed; waiting for message 2.
        case awaitingSecondMessage
        /// Responder: message 2 sent; waiting for message 3.
        case awaitingThirdMessage
        case paired
        case failed
    }

    /// What the caller must do next, in order.
    public enum Action: Sendable {
        /// Publish these bytes as the payload of a version-2 Waku message on the QR's content topic.
        case publish([UInt8])
        /// Show the code and ask the person whether the other device shows the same 8 digits.
        case compareAuthCode(WakuPairingAuthCode)
        /// The handshake is complete: pin `session.remoteStaticKey` and use the session for transport messages.
        case paired(WakuPairingSession)
    }

    private static let protocolID = NoisePayloadV2.ProtocolID.wakuPairing

    public let role: Role
    public let qr: WakuPairingQR
    /// The nametag of message 1, shown beside the QR.
    public let qrMessageNametag: MessageNametag
    public private(set) var phase: Phase
    /// Set once message 1 has been written or read.
    public private(set) var authCode: WakuPairingAuthCode?

    private let secrets: WakuPairingSecrets
    private var symmetric = WakuNoiseSymmetricState()
    private var remoteEphemeralKey: [UInt8]?
    /// What the peer's static key must open: the QR's commitment (initiator) or message 1's (responder).
    private var remoteCommitment: [UInt8]?
    /// Message 2 when it arrives before the person confirmed (the responder may confirm first).
    private var earlySecondMessage: NoisePayloadV2?

    /// The host's side: `qr` and `qrMessageNametag` as the GUI shows them. Call `start()` to get message 1.
    public init(initiatorScanning qr: WakuPairingQR, qrMessageNametag: MessageNametag, secrets: WakuPairingSecrets) {
        role = .initiator
        self.qr = qr
        self.qrMessageNametag = qrMessageNametag
        self.secrets = secrets
        phase = .ready
        remoteEphemeralKey = qr.ephemeralKey
        remoteCommitment = qr.committedStaticKey
        symmetric.mixHash(qr.prologue)
        symmetric.mixHash(qr.ephemeralKey)
    }

    /// The showing side (the GUI's role; here for tests and for a host that shows a QR itself): builds the QR from
    /// the topic parameters and `secrets`. `qrMessageNametag` must be 16 random bytes.
    public init(
        responderWithApplicationName applicationName: String, applicationVersion: String, shardId: String,
        qrMessageNametag: MessageNametag, secrets: WakuPairingSecrets
    ) throws(WakuPairingError) {
        role = .responder
        qr = try WakuPairingQR(
            applicationName: applicationName, applicationVersion: applicationVersion, shardId: shardId,
            ephemeralKey: Array(secrets.ephemeralKey.publicKey.rawRepresentation),
            committedStaticKey: secrets.commitment)
        self.qrMessageNametag = qrMessageNametag
        self.secrets = secrets
        phase = .awaitingFirstMessage
        symmetric.mixHash(qr.prologue)
        symmetric.mixHash(qr.ephemeralKey)
    }

    /// The handshake hash h so far. Not secret (anyone who knows the QR and sees the messages can compute it); the
    /// auth code and the nametags of messages 2 and 3 are derived from it.
    public var handshakeHash: [UInt8] { symmetric.handshakeHash }

    /// The nametag the next message to this party must carry, for filtering the topic; nil when none is expected.
    public var expectedNametag: MessageNametag? {
        switch (role, phase) {
        case (.responder, .awaitingFirstMessage): qrMessageNametag
        case (.initiator, .awaitingConfirmation), (.initiator, .awaitingSecondMessage),
            (.responder, .awaitingThirdMessage):
            stepNametag
        default: nil
        }
    }

    /// The initiator writes message 1 and learns the code.
    public mutating func start() throws(WakuPairingError) -> [Action] {
        guard role == .initiator, phase == .ready else { throw notExpected() }
        return try guarded { (state: inout Self) throws(WakuPairingError) in
            let ephemeral = Array(state.secrets.ephemeralKey.publicKey.rawRepresentation)
            state.symmetric.mixHash(ephemeral)
            state.symmetric.mixKey(try WakuNoisePrimitives.dh(state.secrets.ephemeralKey, state.qr.ephemeralKey))
            let message = try state.writePayload(
                nametag: state.qrMessageNametag, keys: [NoisePayloadV2.PublicKey(encrypted: false, bytes: ephemeral)],
                body: state.secrets.commitment)
            let code = WakuPairingAuthCode(handshakeHash: state.symmetric.handshakeHash)
            state.authCode = code
            state.phase = .awaitingConfirmation
            return [.publish(message), .compareAuthCode(code)]
        }
    }

    /// Hands over a payload received on the content topic. A payload without the expected nametag throws
    /// `.unexpectedNametag` and changes nothing (the topic is shared: keep listening); any other error ends the
    /// handshake.
    public mutating func receive(_ payload: [UInt8]) throws(WakuPairingError) -> [Action] {
        if phase == .failed { throw .failed }
        guard let expected = expectedNametag, payload.count >= MessageNametag.byteCount,
            Array(payload.prefix(MessageNametag.byteCount)) == expected.bytes
        else { throw .unexpectedNametag }
        switch (role, phase) {
        case (.responder, .awaitingFirstMessage):
            return try guarded { (state: inout Self) throws(WakuPairingError) in
                try state.readFirstMessage(try Self.decodeHandshake(payload, step: 1))
            }
        case (.initiator, .awaitingConfirmation):
            // Kept until the person confirms: the initiator must not learn sB before the codes are compared.
            guard earlySecondMessage == nil else { throw .unexpectedNametag }
            return try guarded { (state: inout Self) throws(WakuPairingError) in
                state.earlySecondMessage = try Self.decodeHandshake(payload, step: 2)
                return []
            }
        case (.initiator, .awaitingSecondMessage):
            return try guarded { (state: inout Self) throws(WakuPairingError) in
                try state.readSecondMessage(try Self.decodeHandshake(payload, step: 2))
            }
        default:
            return try guarded { (state: inout Self) throws(WakuPairingError) in
                try state.readThirdMessage(try Self.decodeHandshake(payload, step: 3))
            }
        }
    }

    /// The person saw the same code on both devices.
    public mutating func confirmAuthCode() throws(WakuPairingError) -> [Action] {
        guard phase == .awaitingConfirmation else { throw notExpected() }
        switch role {
        case .initiator:
            phase = .awaitingSecondMessage
            guard let early = earlySecondMessage else { return [] }
            earlySecondMessage = nil
            return try guarded { (state: inout Self) throws(WakuPairingError) in try state.readSecondMessage(early) }
        case .responder:
            return try guarded { (state: inout Self) throws(WakuPairingError) in try state.writeSecondMessage() }
        }
    }

    /// The codes differ (or the person gave up): the handshake ends and nothing more is sent.
    public mutating func rejectAuthCode() {
        phase = .failed
    }

    // MARK: Steps

    private mutating func readFirstMessage(_ message: NoisePayloadV2) throws(WakuPairingError) -> [Action] {
        guard message.handshakeMessage.count == 1, let key = message.handshakeMessage.first, !key.encrypted else {
            throw .unexpectedHandshakeKeys(step: 1)
        }
        remoteEphemeralKey = key.bytes
        symmetric.mixHash(key.bytes)
        symmetric.mixKey(try WakuNoisePrimitives.dh(secrets.ephemeralKey, key.bytes))
        let commitment = try readBody(message)
        guard commitment.count == 32 else { throw .payloadLength(step: 1, bytes: commitment.count) }
        remoteCommitment = commitment
        let code = WakuPairingAuthCode(handshakeHash: symmetric.handshakeHash)
        authCode = code
        phase = .awaitingConfirmation
        return [.compareAuthCode(code)]
    }

    private mutating func writeSecondMessage() throws(WakuPairingError) -> [Action] {
        let nametag = stepNametag
        let staticKey = try symmetric.encryptAndHash(Array(secrets.staticKey.publicKey.rawRepresentation))
        symmetric.mixKey(try WakuNoisePrimitives.dh(secrets.staticKey, try remoteEphemeral()))
        let message = try writePayload(
            nametag: nametag, keys: [NoisePayloadV2.PublicKey(encrypted: true, bytes: staticKey)],
            body: secrets.commitmentRandomness)
        phase = .awaitingThirdMessage
        return [.publish(message)]
    }

    private mutating func readSecondMessage(_ message: NoisePayloadV2) throws(WakuPairingError) -> [Action] {
        let remoteStatic = try readStaticKey(message, step: 2)
        symmetric.mixKey(try WakuNoisePrimitives.dh(secrets.ephemeralKey, remoteStatic))
        let randomness = try readBody(message)
        try checkCommitment(remoteStatic, randomness)
        // Message 3.
        let nametag = stepNametag
        let staticKey = try symmetric.encryptAndHash(Array(secrets.staticKey.publicKey.rawRepresentation))
        symmetric.mixKey(try WakuNoisePrimitives.dh(secrets.staticKey, try remoteEphemeral()))
        symmetric.mixKey(try WakuNoisePrimitives.dh(secrets.staticKey, remoteStatic))
        let reply = try writePayload(
            nametag: nametag, keys: [NoisePayloadV2.PublicKey(encrypted: true, bytes: staticKey)],
            body: secrets.commitmentRandomness)
        phase = .paired
        return [.publish(reply), .paired(session(remoteStatic))]
    }

    private mutating func readThirdMessage(_ message: NoisePayloadV2) throws(WakuPairingError) -> [Action] {
        let remoteStatic = try readStaticKey(message, step: 3)
        symmetric.mixKey(try WakuNoisePrimitives.dh(secrets.ephemeralKey, remoteStatic))
        symmetric.mixKey(try WakuNoisePrimitives.dh(secrets.staticKey, remoteStatic))
        let randomness = try readBody(message)
        try checkCommitment(remoteStatic, randomness)
        phase = .paired
        return [.paired(session(remoteStatic))]
    }

    // MARK: Helpers

    /// Runs a step on a copy and keeps it only if the step succeeds; a failed step leaves the handshake failed, never
    /// half-advanced.
    private mutating func guarded(_ step: (inout Self) throws(WakuPairingError) -> [Action])
        throws(WakuPairingError) -> [Action]
    {
        var copy = self
        do {
            let actions = try step(&copy)
            self = copy
            return actions
        } catch {
            phase = .failed
            throw error
        }
    }

    private func notExpected() -> WakuPairingError {
        phase == .failed ? .failed : .notExpected(state: "\(role) \(phase)")
    }

    /// Messages 2 and 3 carry the first 16 bytes of HKDF(h) at the time they are written.
    private var stepNametag: MessageNametag {
        MessageNametag(truncating: WakuNoisePrimitives.hkdf(
            salt: symmetric.handshakeHash, inputKeyMaterial: [], outputs: 1)[0])
    }

    private func remoteEphemeral() throws(WakuPairingError) -> [UInt8] {
        guard let remoteEphemeralKey else { throw notExpected() }
        return remoteEphemeralKey
    }

    private static func decodeHandshake(_ payload: [UInt8], step: Int) throws(WakuPairingError) -> NoisePayloadV2 {
        let message = try NoisePayloadV2.decode(payload)
        guard message.protocolID == protocolID else { throw .wrongProtocolForStep(message.protocolID.rawValue) }
        return message
    }

    private mutating func writePayload(nametag: MessageNametag, keys: [NoisePayloadV2.PublicKey], body: [UInt8])
        throws(WakuPairingError) -> [UInt8]
    {
        let sealed = try symmetric.encryptAndHash(WakuNoisePrimitives.pad(body), extraAssociatedData: nametag.bytes)
        return try NoisePayloadV2(
            nametag: nametag, protocolID: Self.protocolID, handshakeMessage: keys, transportMessage: sealed
        ).encoded()
    }

    private mutating func readBody(_ message: NoisePayloadV2) throws(WakuPairingError) -> [UInt8] {
        let padded = try symmetric.decryptAndHash(message.transportMessage, extraAssociatedData: message.nametag.bytes)
        return try WakuNoisePrimitives.unpad(padded)
    }

    private mutating func readStaticKey(_ message: NoisePayloadV2, step: Int) throws(WakuPairingError) -> [UInt8] {
        guard message.handshakeMessage.count == 1, let key = message.handshakeMessage.first, key.encrypted else {
            throw .unexpectedHandshakeKeys(step: step)
        }
        return try symmetric.decryptAndHash(key.bytes)
    }

    /// The peer's static key must open the commitment it made before the codes were compared.
    private func checkCommitment(_ remoteStatic: [UInt8], _ randomness: [UInt8]) throws(WakuPairingError) {
        guard let remoteCommitment else { throw notExpected() }
        let opened = WakuPairingSecrets.commitment(staticPublicKey: remoteStatic, randomness: randomness)
        // Commitments are public, but comparing without an early exit costs nothing here.
        guard opened.count == remoteCommitment.count,
            zip(opened, remoteCommitment).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0
        else { throw .committedStaticKeyMismatch }
    }

    private func session(_ remoteStatic: [UInt8]) -> WakuPairingSession {
        let (initiatorToResponder, responderToInitiator) = symmetric.split()
        let secrets = WakuNoisePrimitives.hkdf(salt: symmetric.handshakeHash, inputKeyMaterial: [], outputs: 2)
        switch role {
        case .initiator:
            return WakuPairingSession(
                outbound: initiatorToResponder, inbound: responderToInitiator, outboundNametagSecret: secrets[1],
                inboundNametagSecret: secrets[0], remoteStaticKey: remoteStatic,
                handshakeHash: symmetric.handshakeHash)
        case .responder:
            return WakuPairingSession(
                outbound: responderToInitiator, inbound: initiatorToResponder, outboundNametagSecret: secrets[0],
                inboundNametagSecret: secrets[1], remoteStaticKey: remoteStatic,
                handshakeHash: symmetric.handshakeHash)
        }
    }
}

extension WakuPairingHandshake: CustomStringConvertible {
    /// Role and phase only: the state holds private keys.
    public var description: String { "WakuPairingHandshake(\(role), \(phase))" }
}
