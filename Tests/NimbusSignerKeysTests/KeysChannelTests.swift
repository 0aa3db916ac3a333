import Crypto
import Foundation
import NimbusKeys
import NimbusKeysChannel
import NimbusKeysSession
import NimbusSignerKeys
import Synchronization
import Testing

/// A value shared with escaping closures.
final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { value.withLock { body(&$0) } }
}

/// Paired devices in memory.
final class MemoryDevices: DeviceRegistry, @unchecked Sendable {
    private let devices = Mutex<[StoredDevice]>([])

    func add(name: String, staticKey: [UInt8], atMillis: Int64, method: String) throws -> StoredDevice {
        devices.withLock { devices in
            var device = StoredDevice(id: Int64(devices.count + 1), name: name, staticKey: staticKey,
                                      pairedAtMillis: atMillis, revokedAtMillis: nil)
            device.method = method
            devices.append(device)
            return device
        }
    }
    func list() throws -> [StoredDevice] { devices.withLock { $0 } }
    func revoke(id: Int64, atMillis: Int64) throws -> StoredDevice? {
        devices.withLock { devices in
            guard let index = devices.firstIndex(where: { $0.id == id }) else { return nil }
            devices[index].revokedAtMillis = atMillis
            return devices[index]
        }
    }
}

/// The signer's end of keys channels driven in process: the exchange closures call `KeysChannels` directly, as the
/// network role would over IPC, and can tamper with what passes.
final class ChannelHarness: @unchecked Sendable {
    let vault = MemoryVault()
    let devices = MemoryDevices()
    let records = Shared<[String]>([])
    let signerKey = Curve25519.KeyAgreement.PrivateKey()
    let channels: KeysChannels
    let limit: Int

    /// The turns the signer answered, in order.
    let turns = Shared<[String]>([])

    init(
        exchangeLimit: Int = KeysChannelCipher.maximumExchangeBytes, idleTimeout: Duration = .seconds(60),
        exchangeWait: Duration = .milliseconds(500)
    ) {
        limit = exchangeLimit
        let service = KeysSessionService(vault: vault, policy: Harness.weak, nowMillis: { 1_700_000_000_000 })
        let records = self.records
        channels = KeysChannels(
            service: service, devices: devices, signerKey: Array(signerKey.rawRepresentation), idleTimeout: idleTimeout,
            exchangeWait: exchangeWait, exchangeLimit: exchangeLimit,
            record: { device, record in records.withLock { $0.append("\(device) \(record.command) \(record.outcome)") } })
    }

    var signerPublic: [UInt8] { Array(signerKey.publicKey.rawRepresentation) }

    func pair(method: String = "cpace") throws -> (StoredDevice, Curve25519.KeyAgreement.PrivateKey) {
        let key = Curve25519.KeyAgreement.PrivateKey()
        let device = try devices.add(name: "laptop", staticKey: Array(key.publicKey.rawRepresentation), atMillis: 1, method: method)
        return (device, key)
    }

    /// A client for `device`, with every exchange's messages seen by `tap` (which may change them).
    func client(
        _ device: StoredDevice, _ key: Curve25519.KeyAgreement.PrivateKey,
        tap: @escaping @Sendable ([[UInt8]]) -> [[UInt8]] = { $0 }
    ) throws -> (KeysChannelClient, channel: [UInt8]) {
        let id = Shared<[UInt8]>([])
        let channels = self.channels
        let turns = self.turns
        let client = try KeysChannelClient(
            deviceKey: Array(key.rawRepresentation), signerKey: signerPublic,
            handshake: { first in
                let opened = try channels.open(deviceID: device.id, handshake: first)
                id.withLock { $0 = opened.channel }
                return opened.handshake
            },
            exchangeLimit: limit,
            exchange: { messages in
                let answer = try channels.exchange(
                    deviceID: device.id, channel: id.withLock { $0 }, messages: tap(messages))
                turns.withLock { $0.append(answer.turn.rawValue) }
                return .init(messages: answer.messages, turn: answer.turn)
            })
        return (client, id.withLock { $0 })
    }

    static func answer(_ client: KeysChannelClient) throws -> (frames: [SessionFrame], result: KeysResult) {
        var frames: [SessionFrame] = []
        while let frame = try client.receive() {
            frames.append(frame)
            if frame.kind == .result { return (frames, try SessionJSON.decode(KeysResult.self, from: frame.body, what: "result")) }
            if frame.kind == .failure { throw try SessionJSON.decode(KeysFailure.self, from: frame.body, what: "failure") }
        }
        throw SessionError.closed
    }
}

@Suite struct KeysChannelTests {
    @Test func aPairedDeviceGeneratesKeysThroughTheChannel() throws {
        let harness = ChannelHarness()
        let (device, key) = try harness.pair()
        let (client, _) = try harness.client(device, key)
        try client.send(SessionJSON.frame(.request, Harness.generate(count: 2)))
        try client.send(SessionFrame(.secret, Array(Harness.mnemonic.utf8)))
        try client.send(SessionFrame(.secret, Array("a fine password".utf8)))
        let (frames, result) = try ChannelHarness.answer(client)
        let files = try frames.filter { $0.kind == .file }.map { try $0.decodeFile() }
        #expect(files.map(\.name) == result.files && files.count == 3)
        #expect(try harness.vault.list().count == 2)
        // The same conversation goes on: list, then the keys the signer holds.
        try client.send(SessionJSON.frame(.request, KeysRequest(.list)))
        #expect(try ChannelHarness.answer(client).result.keys?.count == 2)
        #expect(harness.records.withLock { $0 } == ["\(device.id) generate ok", "\(device.id) list ok"])
    }

    @Test func aNewMnemonicIsShownAndConfirmedMidCommand() throws {
        let harness = ChannelHarness()
        let (device, key) = try harness.pair()
        let (client, _) = try harness.client(device, key)
        var request = KeysRequest(.newMnemonic)
        request.words = 12
        request.confirm = true
        try client.send(SessionJSON.frame(.request, request))
        // The signer shows the phrase and then waits for the device: the answer stops there, the device's turn.
        let shown = try #require(try client.receive())
        #expect(shown.kind == .secret)
        #expect(String(decoding: shown.body, as: UTF8.self).split(separator: " ").count == 12)
        try client.send(SessionFrame(.secret, shown.body))
        #expect(try ChannelHarness.answer(client).result.confirmed == true)
    }

    @Test func aCommandLongerThanOneExchangeIsAnsweredWorkingThenFinished() throws {
        // The signer answers after 1 ms however far the command has got: the device asks again until the result.
        let harness = ChannelHarness(exchangeWait: .milliseconds(1))
        let (device, key) = try harness.pair()
        let (client, _) = try harness.client(device, key)
        try client.send(SessionJSON.frame(.request, Harness.generate(count: 4)))
        try client.send(SessionFrame(.secret, Array(Harness.mnemonic.utf8)))
        try client.send(SessionFrame(.secret, Array("a fine password".utf8)))
        let (frames, result) = try ChannelHarness.answer(client)
        #expect(result.keys?.count == 4)
        #expect(frames.filter { $0.kind == .progress }.count >= 1)
        let turns = harness.turns.withLock { $0 }
        // Asked again while it worked; the result may come with the last `working` answer or a `waiting` one.
        #expect(turns.count >= 2 && turns.first == "working", "\(turns)")
        #expect(turns.dropLast().allSatisfy { $0 == "working" }, "\(turns)")
    }

    @Test func outputAndInputLargerThanOneExchangeAreSplit() throws {
        // 1 KiB per exchange: three keystores and their deposit data take several answers, and importing them
        // again takes several requests.
        let harness = ChannelHarness(exchangeLimit: 1024)
        let (device, key) = try harness.pair()
        let (client, _) = try harness.client(device, key)
        try client.send(SessionJSON.frame(.request, Harness.generate(count: 3)))
        try client.send(SessionFrame(.secret, Array(Harness.mnemonic.utf8)))
        try client.send(SessionFrame(.secret, Array("a fine password".utf8)))
        let (frames, _) = try ChannelHarness.answer(client)
        let keystores = try frames.filter { $0.kind == .file }.map { try $0.decodeFile() }.dropLast()
        #expect(keystores.reduce(0) { $0 + $1.contents.count } > 2048)

        let other = ChannelHarness(exchangeLimit: 1024)
        let (device2, key2) = try other.pair()
        let (client2, _) = try other.client(device2, key2)
        var request = KeysRequest(.importKeystores)
        request.fileCount = keystores.count
        try client2.send(SessionJSON.frame(.request, request))
        for file in keystores { try client2.send(SessionFrame.file(file)) }
        try client2.send(SessionFrame(.secret, Array("a fine password".utf8)))
        #expect(try ChannelHarness.answer(client2).result.keys?.count == 3)
        #expect(try other.vault.list().map(\.pubkey) == harness.vault.list().map(\.pubkey))
    }

    @Test func aKeyOtherThanThePinnedOneCannotOpenAChannel() throws {
        let harness = ChannelHarness()
        let (device, _) = try harness.pair()
        // A network role that knows the device's id but not its key: its handshake does not authenticate.
        let impostor = Curve25519.KeyAgreement.PrivateKey()
        #expect(throws: KeysChannels.Refusal.handshake(.notAuthentic)) {
            _ = try harness.client(device, impostor)
        }
        // Nor does a device that pinned another signer key (the network role answering with its own).
        let (device2, key2) = try harness.pair()
        let (first, firstMessage) = try KeysChannelHandshake.Initiator.start(
            deviceKey: Array(key2.rawRepresentation), signerKey: harness.signerPublic)
        // KK: a signer key other than the pinned one cannot even read the device's first message...
        #expect(throws: KeysChannelHandshake.Failure.notAuthentic) {
            _ = try KeysChannelHandshake.respond(
                signerKey: Array(Curve25519.KeyAgreement.PrivateKey().rawRepresentation),
                deviceKey: Array(key2.publicKey.rawRepresentation), message: firstMessage)
        }
        // ...and an answer it makes up does not authenticate at the device.
        let madeUp = Array(Curve25519.KeyAgreement.PrivateKey().publicKey.rawRepresentation) + [UInt8](repeating: 7, count: 16)
        #expect(throws: KeysChannelHandshake.Failure.notAuthentic) { _ = try first.finish(madeUp) }
        _ = device2
        #expect(harness.channels.openCount == 0)
    }

    @Test func aReplayedOrAlteredMessageClosesTheChannel() throws {
        let harness = ChannelHarness()
        let (device, key) = try harness.pair()
        let sent = Shared<[[UInt8]]>([])
        let (client, channel) = try harness.client(device, key, tap: { messages in
            sent.withLock { $0 += messages }
            return messages
        })
        try client.send(SessionJSON.frame(.request, KeysRequest(.list)))
        _ = try ChannelHarness.answer(client)
        // The network role replays the device's request message: it does not open (its nonce is spent).
        let replay = try #require(sent.withLock { $0.first })
        #expect(throws: KeysChannels.Refusal.notAuthentic) {
            _ = try harness.channels.exchange(deviceID: device.id, channel: channel, messages: [replay])
        }
        // The channel is gone: the device's next command fails and says so.
        #expect(throws: KeysChannels.Refusal.noSuchChannel) {
            _ = try harness.channels.exchange(deviceID: device.id, channel: channel, messages: [])
        }

        let (client2, _) = try harness.client(device, key, tap: { messages in
            messages.map { message in
                var altered = message
                altered[altered.count / 2] ^= 1
                return altered
            }
        })
        try client2.send(SessionJSON.frame(.request, KeysRequest(.list)))
        #expect(throws: SessionError.transport(KeysChannels.Refusal.notAuthentic.description)) { _ = try client2.receive() }
        #expect(harness.channels.openCount == 0)
    }

    @Test func channelsBelongToTheirDeviceAndEndWithItsPairing() throws {
        let harness = ChannelHarness()
        let (device, key) = try harness.pair()
        let (other, _) = try harness.pair()
        let (client, channel) = try harness.client(device, key)
        // Another device (through the same network role) cannot use or close this channel: it is unknown to it.
        #expect(throws: KeysChannels.Refusal.noSuchChannel) {
            _ = try harness.channels.exchange(deviceID: other.id, channel: channel, messages: [])
        }
        #expect(throws: KeysChannels.Refusal.noSuchChannel) {
            try harness.channels.close(deviceID: other.id, channel: channel)
        }
        // Revoked: the next exchange is refused and the channel dropped.
        _ = try harness.devices.revoke(id: device.id, atMillis: 2)
        try client.send(SessionJSON.frame(.request, KeysRequest(.list)))
        #expect(throws: SessionError.transport(KeysChannels.Refusal.unknownDevice.description)) { _ = try client.receive() }
        #expect(harness.channels.openCount == 0)
        #expect(throws: KeysChannels.Refusal.unknownDevice) { _ = try harness.client(device, key) }
    }

    @Test func devicesPairedWithoutTheSignerKeyAndTooManyChannelsAreRefused() throws {
        let harness = ChannelHarness()
        let (waku, wakuKey) = try harness.pair(method: "waku-noise")
        #expect(throws: KeysChannels.Refusal.notCPace) { _ = try harness.client(waku, wakuKey) }
        let (device, key) = try harness.pair()
        let first = try harness.client(device, key)
        let second = try harness.client(device, key)
        #expect(throws: KeysChannels.Refusal.tooMany) { _ = try harness.client(device, key) }
        // Closing one makes room; the closed conversation ends in the signer.
        try harness.channels.close(deviceID: device.id, channel: first.channel)
        _ = try harness.client(device, key)
        _ = second
        #expect(throws: KeysChannels.Refusal.noSuchChannel) {
            _ = try harness.channels.exchange(deviceID: device.id, channel: first.channel, messages: [])
        }
    }

    @Test func onlyKeyCommandsRunThroughAChannel() throws {
        let harness = ChannelHarness()
        let (device, key) = try harness.pair()
        let (client, _) = try harness.client(device, key)
        // A device may not pair others or revoke devices: the person at the host does that.
        var request = KeysRequest(.revokeDevice)
        request.deviceID = device.id
        try client.send(SessionJSON.frame(.request, request))
        let failure = try #require(try client.receive())
        #expect(failure.kind == .failure)
        #expect(try SessionJSON.decode(KeysFailure.self, from: failure.body, what: "failure").code == .denied)
        #expect(try client.receive() == nil)
        #expect(try harness.devices.list().first?.revokedAtMillis == nil)
        #expect(harness.records.withLock { $0 } == ["\(device.id) revoke-device denied"])
    }

    @Test func malformedHandshakesAndOversizeExchangesAreRefused() throws {
        let harness = ChannelHarness(exchangeLimit: 4096)
        let (device, key) = try harness.pair()
        for bad in [[], [UInt8](repeating: 1, count: 47), [UInt8](repeating: 1, count: 49)] {
            #expect(throws: KeysChannels.Refusal.handshake(.malformed)) {
                _ = try harness.channels.open(deviceID: device.id, handshake: bad)
            }
        }
        #expect(throws: KeysChannels.Refusal.unknownDevice) {
            _ = try harness.channels.open(deviceID: 99, handshake: [UInt8](repeating: 1, count: 48))
        }
        let (_, channel) = try harness.client(device, key)
        #expect(throws: KeysChannels.Refusal.tooLarge) {
            _ = try harness.channels.exchange(deviceID: device.id, channel: channel, messages: [[UInt8](repeating: 0, count: 4097)])
        }
    }

    @Test func anIdleChannelEnds() throws {
        let harness = ChannelHarness(idleTimeout: .milliseconds(300))
        let (device, key) = try harness.pair()
        _ = try harness.client(device, key)
        #expect(harness.channels.openCount == 1)
        Thread.sleep(forTimeInterval: 1)
        #expect(harness.channels.openCount == 0)
    }
}
