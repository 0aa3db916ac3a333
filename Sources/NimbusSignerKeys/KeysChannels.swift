import Foundation
import NimbusKeys
import NimbusKeysChannel
import NimbusKeysSession
import Synchronization

/// The signer's open keys channels (docs/keys-channel.md): end-to-end encrypted `nimbus keys` conversations with
/// paired devices, carried by the network role as opaque bytes. Each channel is bound to the device that opened it
/// and proved its pinned key in the handshake; a device revoked since then loses its channels at its next exchange.
public final class KeysChannels: Sendable {
    /// Why a channel operation was refused. Descriptions are for the device's person and the signer's log; they
    /// never carry channel bytes.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case unknownDevice
        case notCPace
        case handshake(KeysChannelHandshake.Failure)
        case tooMany
        case noSuchChannel
        case busy
        case notAuthentic
        case protocolError(String)
        case tooLarge

        public var description: String {
            switch self {
            case .unknownDevice: "the device is not paired with this signer (or was revoked)"
            case .notCPace: "the device was paired with `nimbus pair --qr`, which does not give it the signer's key: "
                + "pair it with a code (`nimbus pair CODE`) to manage keys from it"
            case .handshake(let failure): failure.description
            case .tooMany: "too many keys channels are open; close one or wait for it to expire"
            case .noSuchChannel: "no such keys channel (it ended, expired, or belongs to another device)"
            case .busy: "the keys channel is in the middle of another exchange"
            case .notAuthentic: "a keys-channel message did not authenticate; the channel is closed"
            case .protocolError(let reason): "keys channel closed: \(reason)"
            case .tooLarge: "an exchange carries at most 512 KiB of messages"
            }
        }
    }

    public static let channelsPerDevice = 2
    public static let channelsInAll = 8

    private final class Channel: @unchecked Sendable {
        // @unchecked: `cipher`, `decoder` and `busy` are used only by the exchange that set `busy` (under `lock`).
        let deviceID: Int64
        let conversation: KeysChannelConversation
        var cipher: KeysChannelCipher
        var decoder = SessionFrameDecoder()
        var busy = false

        init(deviceID: Int64, conversation: KeysChannelConversation, cipher: KeysChannelCipher) {
            self.deviceID = deviceID
            self.conversation = conversation
            self.cipher = cipher
        }
    }

    private let service: KeysSessionService
    private let devices: any DeviceRegistry
    private let signerKey: [UInt8]
    private let idleTimeout: Duration
    private let exchangeWait: Duration
    private let exchangeLimit: Int
    private let record: @Sendable (_ device: Int64, _ record: KeysSessionService.Record) -> Void
    private let channels = Mutex<[[UInt8]: Channel]>([:])

    /// - Parameters:
    ///   - signerKey: the signer's X25519 private key, whose public half devices pinned at pairing.
    ///   - idleTimeout: a channel whose device sends nothing for this long ends.
    ///   - exchangeWait: how long one exchange waits for a running command before answering `working`.
    public init(
        service: KeysSessionService, devices: any DeviceRegistry, signerKey: [UInt8], idleTimeout: Duration = .seconds(600),
        exchangeWait: Duration = .seconds(10), exchangeLimit: Int = KeysChannelCipher.maximumExchangeBytes,
        record: @escaping @Sendable (_ device: Int64, _ record: KeysSessionService.Record) -> Void
    ) {
        self.service = service
        self.devices = devices
        self.signerKey = signerKey
        self.idleTimeout = idleTimeout
        self.exchangeWait = exchangeWait
        self.exchangeLimit = exchangeLimit
        self.record = record
    }

    /// Opens a channel for `deviceID` from the device's first handshake message. Returns the channel's id and the
    /// answer to send back.
    public func open(deviceID: Int64, handshake: [UInt8]) throws(Refusal) -> (channel: [UInt8], handshake: [UInt8]) {
        let device = try activeDevice(deviceID)
        guard device.method == "cpace" else { throw .notCPace }
        let (answer, cipher): ([UInt8], KeysChannelCipher)
        do {
            (answer, cipher) = try KeysChannelHandshake.respond(
                signerKey: signerKey, deviceKey: device.staticKey, message: handshake)
        } catch { throw .handshake(error) }
        var id = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in id.indices { id[index] = generator.next() }
        let conversation = KeysChannelConversation(idleTimeout: idleTimeout)
        let channel = Channel(deviceID: deviceID, conversation: conversation, cipher: cipher)
        try channels.withLock { (channels: inout [[UInt8]: Channel]) throws(Refusal) in
            channels = channels.filter { !$0.value.conversation.isOver }
            guard channels.count < Self.channelsInAll,
                channels.values.filter({ $0.deviceID == deviceID }).count < Self.channelsPerDevice
            else { throw .tooMany }
            channels[id] = channel
        }
        let service = self.service
        let record = self.record
        Thread.detachNewThread {
            service.serve(conversation, allowing: KeysRequest.Command.keyCommands) { record(deviceID, $0) }
            conversation.finish()
        }
        return (id, answer)
    }

    /// Delivers the device's messages to the channel's conversation and returns the signer's messages since the
    /// last exchange, with whose turn it is. Blocks for up to `exchangeWait`: call it off any thread that must
    /// stay responsive.
    public func exchange(deviceID: Int64, channel id: [UInt8], messages: [[UInt8]]) throws(Refusal)
        -> (messages: [[UInt8]], turn: KeysChannelTurn)
    {
        guard messages.reduce(0, { $0 + $1.count }) <= exchangeLimit else { throw .tooLarge }
        let channel = try claim(deviceID: deviceID, channel: id)
        defer { channels.withLock { _ in channel.busy = false } }
        // The device must still be paired: revocation takes effect at the next exchange at the latest.
        do { _ = try activeDevice(deviceID) } catch {
            drop(id, channel)
            throw error
        }
        var frames: [SessionFrame] = []
        for message in messages {
            var plaintext: [UInt8]
            do { plaintext = try channel.cipher.open(message) } catch {
                drop(id, channel)
                throw .notAuthentic
            }
            defer { SecretBytes.wipe(&plaintext) }
            do { frames += try channel.decoder.append(plaintext) } catch {
                drop(id, channel)
                throw .protocolError(error.description)
            }
        }
        let deadline = Date().addingTimeInterval(KeysChannelConversation.seconds(exchangeWait))
        // Leave room for the tags of the messages the output becomes.
        let budget = KeysChannelCipher.plaintextBudget(exchangeLimit)
        var (output, turn) = channel.conversation.exchange(frames, limit: budget, deadline: deadline)
        defer { SecretBytes.wipe(&output) }
        for index in frames.indices { SecretBytes.wipe(&frames[index].body) }
        let sealed: [[UInt8]]
        do { sealed = try channel.cipher.seal(output) } catch {
            drop(id, channel)
            throw .protocolError(error.description)
        }
        if turn == .closed { channels.withLock { _ = $0.removeValue(forKey: id) } }
        return (sealed, turn)
    }

    /// Ends a channel at the device's request.
    public func close(deviceID: Int64, channel id: [UInt8]) throws(Refusal) {
        let channel = try channels.withLock { (channels: inout [[UInt8]: Channel]) throws(Refusal) -> Channel in
            guard let channel = channels[id], channel.deviceID == deviceID else { throw .noSuchChannel }
            channels[id] = nil
            return channel
        }
        channel.conversation.close()
    }

    /// Ends every channel of a device (it was revoked).
    public func closeAll(deviceID: Int64) {
        let closing = channels.withLock { channels -> [Channel] in
            let mine = channels.filter { $0.value.deviceID == deviceID }
            for key in mine.keys { channels[key] = nil }
            return Array(mine.values)
        }
        for channel in closing { channel.conversation.close() }
    }

    /// How many channels are open (for tests and status).
    public var openCount: Int {
        channels.withLock { $0.values.filter { !$0.conversation.isOver }.count }
    }

    private func claim(deviceID: Int64, channel id: [UInt8]) throws(Refusal) -> Channel {
        try channels.withLock { (channels: inout [[UInt8]: Channel]) throws(Refusal) -> Channel in
            // Another device's channel id is answered as unknown: ids are not a way to learn about others.
            guard let channel = channels[id], channel.deviceID == deviceID else { throw .noSuchChannel }
            guard !channel.busy else { throw .busy }
            channel.busy = true
            return channel
        }
    }

    private func drop(_ id: [UInt8], _ channel: Channel) {
        channels.withLock { _ = $0.removeValue(forKey: id) }
        channel.conversation.close()
    }

    private func activeDevice(_ id: Int64) throws(Refusal) -> StoredDevice {
        let found: StoredDevice?
        do { found = try devices.list().first { $0.id == id && $0.revokedAtMillis == nil } } catch {
            throw .unknownDevice
        }
        guard let found else { throw .unknownDevice }
        return found
    }
}
