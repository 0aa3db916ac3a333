/// The Noise transport phase of a libp2p connection: each direction's CipherState and the 2-byte length framing.
///
/// Plaintext is cut into frames of at most 65535 - 16 bytes, so that each ciphertext fits a frame (libp2p noise
/// spec, "Wire Format"); empty associated data, as the spec requires after the handshake.
public struct NoiseTransport: Sendable {
    /// The most plaintext one frame carries.
    public static let maxPlaintextLength = NoiseFrameDecoder.maxLength - NoiseHandshakeMessage.tagLength

    private var sender: NoiseCipherState
    private var receiver: NoiseCipherState
    private var decoder = NoiseFrameDecoder()

    /// A transport from the ciphers `NoiseHandshakeState.split()` returned.
    public init(send: NoiseCipherState, receive: NoiseCipherState) {
        sender = send
        receiver = receive
    }

    /// The framed ciphertext of `plaintext`, split over as many frames as needed.
    public mutating func encrypt<Bytes: Collection<UInt8>>(_ plaintext: Bytes) throws(NoiseError) -> [UInt8] {
        let bytes = Array(plaintext)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + (bytes.count / Self.maxPlaintextLength + 1) * 18)
        var offset = 0
        repeat {
            let end = min(offset + Self.maxPlaintextLength, bytes.count)
            output += NoiseFrameDecoder.frame(try sender.encrypt(Array(bytes[offset..<end])))
            offset = end
        } while offset < bytes.count
        return output
    }

    /// Feeds ciphertext bytes in any split; returns the plaintext of every frame completed by them.
    public mutating func decrypt<Bytes: Sequence<UInt8>>(_ bytes: Bytes) throws(NoiseError) -> [UInt8] {
        decoder.append(bytes)
        var plaintext: [UInt8] = []
        while let frame = try decoder.next() {
            plaintext += try receiver.decrypt(frame)
        }
        return plaintext
    }

    /// Bytes of an incomplete frame waiting for the rest (non-zero when a peer disconnects mid-message).
    public var bufferedCount: Int { decoder.bufferedCount }
}
