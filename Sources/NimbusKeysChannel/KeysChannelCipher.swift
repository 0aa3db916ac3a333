import NimbusNoise

/// The transport of a keys channel: the keys-session byte stream (docs/keys-session.md frames, unchanged) cut into
/// Noise transport messages. Unlike device sessions over Waku, the channel rides on HTTP-over-Waku requests that
/// are already delivered once and in order, so it keeps Noise's strict nonces: a replayed, dropped, reordered or
/// altered message fails to open and ends the channel.
public struct KeysChannelCipher: Sendable {
    /// Plaintext bytes per message (Noise's 65535-byte message limit less the tag).
    public static let maximumPlaintextBytes = 65535 - 16
    /// Ciphertext bytes per exchange, each way: keeps every exchange, with its encoding, inside one IPC frame and a
    /// modest HTTP body; longer output waits for the next exchange.
    public static let maximumExchangeBytes = 512 * 1024

    /// Plaintext bytes that seal to at most `limit` bytes of messages (each message adds a 16-byte tag).
    public static func plaintextBudget(_ limit: Int) -> Int {
        limit - 16 * (limit / maximumPlaintextBytes + 1)
    }

    private var sender: NoiseCipherState
    private var receiver: NoiseCipherState

    init(sendKey: [UInt8], receiveKey: [UInt8]) {
        sender = NoiseCipherState(key: sendKey)
        receiver = NoiseCipherState(key: receiveKey)
    }

    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// A message did not open: replayed, reordered, altered or not from the other end.
        case notAuthentic
        /// A message longer than Noise allows.
        case oversize
        case exhausted

        public var description: String {
            switch self {
            case .notAuthentic: "a keys-channel message did not authenticate (replayed, reordered or altered)"
            case .oversize: "a keys-channel message exceeds 65535 bytes"
            case .exhausted: "the keys channel used up its nonces"
            }
        }
    }

    /// Seals `bytes` (part of the stream) as one or more messages.
    public mutating func seal(_ bytes: [UInt8]) throws(Failure) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        guard !bytes.isEmpty else { return messages }
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + Self.maximumPlaintextBytes)
            do { messages.append(try sender.encrypt(Array(bytes[offset..<end]))) } catch { throw .exhausted }
            offset = end
        } while offset < bytes.count
        return messages
    }

    /// Opens one message; the plaintext continues the stream.
    public mutating func open(_ message: [UInt8]) throws(Failure) -> [UInt8] {
        guard message.count <= 65535 else { throw .oversize }
        guard message.count >= 16 else { throw .notAuthentic }
        do { return try receiver.decrypt(message) } catch { throw .notAuthentic }
    }
}

/// Whose turn it is after an exchange (docs/keys-channel.md); the raw values are the API's words.
public enum KeysChannelTurn: String, Sendable, CaseIterable {
    /// The signer has read everything and waits for the device.
    case waiting
    /// A command is still running, or more output waits: ask again.
    case working
    /// The conversation has ended.
    case closed
}
