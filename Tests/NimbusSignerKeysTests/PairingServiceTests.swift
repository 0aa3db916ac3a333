import Dispatch
import NimbusKeysSession
import NimbusPairing
import NimbusSignerKeys
import Synchronization
import Testing

/// The network role's relay with a device on the other side of it: every frame the signer publishes reaches a
/// `PairingDevice` at once, and the device's answers wait for the signer's next `receive`.
final class LoopbackRelay: PairingRelay {
    struct State {
        var device: PairingDevice
        var inbox: [[UInt8]] = []
        var published = 0
    }

    let key: [UInt8]
    private let state: Mutex<State>
    private let arrived = DispatchSemaphore(value: 0)

    init(key: [UInt8], device: PairingDevice) {
        self.key = key
        state = Mutex(State(device: device))
    }

    var device: PairingDevice { state.withLock { $0.device } }
    var published: Int { state.withLock { $0.published } }

    func hostKey() throws -> [UInt8] { key }
    func subscribe(topic: String) {}
    func unsubscribe(topic: String) {}
    func deviceChanged(_ device: StoredDevice) {}

    func publish(topic: String, payload: [UInt8]) {
        let answers = state.withLock { (state: inout State) -> Int in
            state.published += 1
            guard let frame = try? PairingFrame.decode(payload) else { return 0 }
            let answers = state.device.receive(frame).map { $0.encoded() }
            state.inbox += answers
            return answers.count
        }
        for _ in 0..<answers { arrived.signal() }
    }

    func receive(topic: String, timeout: Duration) -> [UInt8]? {
        let (seconds, attoseconds) = timeout.components
        guard arrived.wait(timeout: .now() + Double(seconds) + Double(attoseconds) / 1e18) == .success else { return nil }
        return state.withLock { $0.inbox.removeFirst() }
    }
}

final class PairedDeviceList: DeviceRegistry {
    private let devices = Mutex<[StoredDevice]>([])

    func add(name: String, staticKey: [UInt8], atMillis: Int64, method: String) throws -> StoredDevice {
        devices.withLock { devices in
            var device = StoredDevice(
                id: Int64(devices.count + 1), name: name, staticKey: staticKey, pairedAtMillis: atMillis, revokedAtMillis: nil)
            device.method = method
            devices.append(device)
            return device
        }
    }

    func list() throws -> [StoredDevice] { devices.withLock { $0 } }

    func revoke(id: Int64, atMillis: Int64) throws -> StoredDevice? { nil }
}

@Suite struct PairingServiceTests {
    static let sessionKey = [UInt8](repeating: 0x5E, count: 32)
    static let signerKey = [UInt8](repeating: 0x51, count: 32)
    static let deviceKey = [UInt8](repeating: 0xD0, count: 32)

    static func device(_ code: PairingCode) throws -> PairingDevice {
        try PairingDevice(code: code, identity: try PairingIdentity(staticKey: deviceKey, name: "test device"))
    }

    static func pairRequest() -> KeysRequest {
        var request = KeysRequest(.pair)
        request.hostName = "test host"
        return request
    }

    @Test func theDevicePinsTheSignersChannelKeyBesideTheSessionKey() throws {
        let code = PairingCode.generate()
        let relay = LoopbackRelay(key: Self.sessionKey, device: try Self.device(code))
        let harness = Harness(relay: relay, devices: PairedDeviceList(), signerChannelKey: Self.signerKey)
        defer { harness.finish() }
        let (_, result) = try harness.result(Self.pairRequest(), secrets: [code.displayText])
        #expect(result.devices?.map(\.name) == ["test device"])
        guard case .paired(let host) = relay.device.state else {
            Issue.record("the device did not pair: \(relay.device.state)")
            return
        }
        #expect(host.staticKey == Self.sessionKey)
        #expect(host.signerKey == Self.signerKey)
        #expect(host.name == "test host")
    }

    @Test func withoutAUsableChannelKeyNothingIsPublished() throws {
        let cases: [([UInt8]?, KeysFailure.Code, String)] = [
            (nil, .badRequest, "channel key"),
            // The network role's key where the signer's should be: refused, since the device would then pin a key
            // the network role holds as the signer's.
            (Self.sessionKey, .internal, "signer key"),
        ]
        for (key, code, words) in cases {
            let pairing = PairingCode.generate()
            let relay = LoopbackRelay(key: Self.sessionKey, device: try Self.device(pairing))
            let harness = Harness(relay: relay, devices: PairedDeviceList(), signerChannelKey: key)
            let failure = try harness.failure(Self.pairRequest(), secrets: [pairing.displayText])
            harness.finish()
            #expect(failure.code == code, "\(failure)")
            #expect(failure.message.contains(words), "\(failure)")
            #expect(relay.published == 0)
            #expect(relay.device.state == .waiting)
        }
    }
}
