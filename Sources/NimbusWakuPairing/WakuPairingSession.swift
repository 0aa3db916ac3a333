/// A paired session after the handshake: the two cipher states from Split and the two nametag windows. Transport
/// messages are PayloadV2 with protocol id 0, the next outbound nametag, and the PKCS#7-padded plaintext encrypted
/// with the nametag as associated data.
public struct WakuPairingSession: Sendable {
    private var outbound: WakuNoiseCipherState
    private var inbound: WakuNoiseCipherState
    private var outboundNametags: MessageNametagBuffer
    private var inboundNametags: MessageNametagBuffer
    /// The peer's static X25519 public key: what the host pins as the device's identity.
    public let remoteStaticKey: [UInt8]
    /// The final handshake hash, which both sides share (usable for channel binding).
    public let handshakeHash: [UInt8]

    init(
        outbound: WakuNoiseCipherState, inbound: WakuNoiseCipherState, outboundNametagSecret: [UInt8],
        inboundNametagSecret: [UInt8], remoteStaticKey: [UInt8], handshakeHash: [UInt8]
    ) {
        self.outbound = outbound
        self.inbound = inbound
        outboundNametags = MessageNametagBuffer(secret: outboundNametagSecret)
        inboundNametags = MessageNametagBuffer(secret: inboundNametagSecret)
        self.remoteStaticKey = remoteStaticKey
        self.handshakeHash = handshakeHash
    }

    /// The nametag the peer's next message must carry (to filter the topic).
    public var nextInboundNametag: MessageNametag { inboundNametags.next }

    /// The nametag this side's next message will carry.
    public var nextOutboundNametag: MessageNametag { outboundNametags.next }

    /// Encrypts one message; returns the Waku payload to publish.
    public mutating func seal(_ plaintext: [UInt8]) throws(WakuPairingError) -> [UInt8] {
        guard plaintext.count < NoisePayloadV2.maximumTransportBytes - WakuNoisePrimitives.paddingBlock - 16 else {
            throw .messageTooLong(plaintext.count)
        }
        var cipher = outbound
        let nametag = outboundNametags.next
        let ciphertext = try cipher.encrypt(
            associatedData: nametag.bytes, plaintext: WakuNoisePrimitives.pad(plaintext))
        let payload = try NoisePayloadV2(nametag: nametag, protocolID: .transport, transportMessage: ciphertext)
            .encoded()
        outbound = cipher
        outboundNametags.advance()
        return payload
    }

    /// Decrypts the peer's next message. Nothing changes unless it succeeds: a message for someone else, a forgery or
    /// a replay leaves the session as it was.
    public mutating func open(_ payload: [UInt8]) throws(WakuPairingError) -> [UInt8] {
        guard payload.count >= MessageNametag.byteCount,
            let position = inboundNametags.position(of: MessageNametag(truncating: payload))
        else { throw .unexpectedNametag }
        guard position == 0 else { throw .messagesLost(missed: position) }
        let message = try NoisePayloadV2.decode(payload)
        guard message.protocolID == .transport else { throw .wrongProtocolForStep(message.protocolID.rawValue) }
        var cipher = inbound
        let padded = try cipher.decrypt(associatedData: message.nametag.bytes, ciphertext: message.transportMessage)
        let plaintext = try WakuNoisePrimitives.unpad(padded)
        inbound = cipher
        inboundNametags.advance()
        return plaintext
    }
}

extension WakuPairingSession: CustomStringConvertible {
    /// Nothing from the state: it holds the transport keys.
    public var description: String { "WakuPairingSession(redacted)" }
}
