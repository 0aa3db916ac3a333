import NimbusNoise

/// The handshake that opens a keys channel (docs/keys-channel.md): `Noise_KK_25519_ChaChaPoly_SHA256` between a
/// paired device (initiator) and the signer (responder), each knowing the other's static key from pairing. The
/// network role carries the two messages without being able to read or forge them, so a channel that opens proves
/// to the signer that the device holds its pinned key, and to the device that it reached the signer whose key it
/// pinned, not whatever sits in between.
public enum KeysChannelHandshake {
    /// Bound into the handshake hash, so that these messages can never be mistaken for another use of the keys
    /// (the device's sessions with the network role use the same device key with another prologue).
    public static let prologue = Array("nimbus-nm keys channel v1".utf8)
    /// Both messages: an ephemeral key (32) and the tag of the empty payload (16).
    public static let messageBytes = 48

    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// Not 48 bytes.
        case malformed
        /// The message did not authenticate: the other side does not hold the key pinned for it.
        case notAuthentic
        /// A key is not a usable X25519 key.
        case badKey

        public var description: String {
            switch self {
            case .malformed: "a keys-channel handshake message is 48 bytes"
            case .notAuthentic: "the keys-channel handshake did not authenticate (not the paired key)"
            case .badKey: "a keys-channel key is not a usable X25519 key"
            }
        }
    }

    /// The device's side, between its two steps.
    public struct Initiator: Sendable {
        private var handshake: NoiseKKHandshake

        /// Starts a handshake and returns the first message with the state that reads the answer.
        public static func start(deviceKey: [UInt8], signerKey: [UInt8], ephemeralKey: [UInt8]? = nil)
            throws(Failure) -> (Initiator, [UInt8])
        {
            var handshake: NoiseKKHandshake
            let message: [UInt8]
            do {
                handshake = try NoiseKKHandshake(
                    isInitiator: true, staticKey: deviceKey, remoteStaticKey: signerKey, prologue: prologue,
                    ephemeralKey: ephemeralKey)
                message = try handshake.writeMessage(payload: [])
            } catch { throw .badKey }
            return (Initiator(handshake: handshake), message)
        }

        /// Reads the signer's answer; the channel's cipher for the device's side.
        public func finish(_ message: [UInt8]) throws(Failure) -> KeysChannelCipher {
            guard message.count == messageBytes else { throw .malformed }
            var handshake = self.handshake
            do { _ = try handshake.readMessage(message) } catch { throw .notAuthentic }
            let keys = handshake.transportKeys()
            return KeysChannelCipher(sendKey: keys.send, receiveKey: keys.receive)
        }
    }

    /// The signer's side: reads the device's message and answers it in one step.
    public static func respond(signerKey: [UInt8], deviceKey: [UInt8], message: [UInt8], ephemeralKey: [UInt8]? = nil)
        throws(Failure) -> (answer: [UInt8], cipher: KeysChannelCipher)
    {
        guard message.count == messageBytes else { throw .malformed }
        var handshake: NoiseKKHandshake
        do {
            handshake = try NoiseKKHandshake(
                isInitiator: false, staticKey: signerKey, remoteStaticKey: deviceKey, prologue: prologue,
                ephemeralKey: ephemeralKey)
        } catch { throw .badKey }
        do { _ = try handshake.readMessage(message) } catch { throw .notAuthentic }
        let answer: [UInt8]
        do { answer = try handshake.writeMessage(payload: []) } catch { throw .badKey }
        let keys = handshake.transportKeys()
        return (answer, KeysChannelCipher(sendKey: keys.send, receiveKey: keys.receive))
    }
}
