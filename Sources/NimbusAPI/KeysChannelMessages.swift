import Foundation

/// The manager API's keys-channel bodies (docs/keys-channel.md, docs/api/manager.yaml). The network role moves the
/// base64 strings between JSON and the signer without being able to read what they carry.
public enum KeysChannelAPI {
    /// `POST /v1/keys/channels`.
    public struct OpenRequest: Sendable, Equatable, Codable {
        /// Base64 of the device's first Noise_KK message (48 bytes).
        public var handshake: String

        public init(handshake: String) {
            self.handshake = handshake
        }
    }

    /// Answer to `POST /v1/keys/channels` (201).
    public struct Opened: Sendable, Equatable, Codable {
        /// The channel's id: 32 lowercase hex digits, for the path of its exchanges.
        public var channel: String
        /// Base64 of the signer's Noise_KK answer (48 bytes).
        public var handshake: String

        public init(channel: String, handshake: String) {
            self.channel = channel
            self.handshake = handshake
        }
    }

    /// `POST /v1/keys/channels/{channel}`: the device's sealed messages (possibly none, to ask again).
    public struct Exchange: Sendable, Equatable, Codable {
        /// Base64 of each sealed message, in order.
        public var messages: [String]

        public init(messages: [String]) {
            self.messages = messages
        }
    }

    /// Answer to an exchange or `DELETE /v1/keys/channels/{channel}`.
    public struct Output: Sendable, Equatable, Codable {
        /// Base64 of each of the signer's sealed messages, in order.
        public var messages: [String]
        /// `waiting` (the signer waits for the device), `working` (ask again) or `closed`.
        public var turn: String

        public init(messages: [String], turn: String) {
            self.messages = messages
            self.turn = turn
        }
    }

    /// Strict base64 of a list of messages; nil when any is not base64.
    public static func decode(_ strings: [String]) -> [[UInt8]]? {
        var messages: [[UInt8]] = []
        for string in strings {
            guard let data = Data(base64Encoded: string) else { return nil }
            messages.append([UInt8](data))
        }
        return messages
    }

    public static func encode(_ messages: [[UInt8]]) -> [String] {
        messages.map { Data($0).base64EncodedString() }
    }
}
