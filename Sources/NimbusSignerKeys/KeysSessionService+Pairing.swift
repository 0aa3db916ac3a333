import Foundation
import NimbusKeys
import NimbusKeysSession
import NimbusPairing

/// `nimbus pair`, `nimbus devices`: the host side of pairing runs here, in the signer, so that the device key it
/// pins was authenticated by the PAKE where the code lives; the network role only carries public frames
/// (docs/pairing_protocol.md, docs/keys-session.md).
extension KeysSessionService {
    func pair(_ request: KeysRequest, _ socket: any KeysTransport) throws -> KeysResult {
        var codeBytes = try socket.receive(.secret, what: "the pairing code").body
        defer { SecretBytes.wipe(&codeBytes) }
        guard let relay, let devices else {
            throw KeysFailure(.badRequest, "pairing needs the node manager's network role: run `nimbus pair` without --offline")
        }
        // A device paired without it could never open a channel to the signer, only to the network role.
        guard let signerChannelKey else {
            throw KeysFailure(.badRequest, "pairing needs the signer's channel key, which only the node manager's signer has: run `nimbus pair` without --offline")
        }
        let code: PairingCode
        do { code = try PairingCode(parsing: String(decoding: codeBytes, as: UTF8.self)) } catch {
            throw KeysFailure(.invalidCode, "\(error)")
        }
        let identity: PairingIdentity
        do {
            identity = try PairingIdentity(
                staticKey: try relay.hostKey(), signerKey: signerChannelKey, name: request.hostName ?? "node manager")
        } catch PairingIdentity.Invalid.badName {
            throw KeysFailure(.badRequest, "--name: \(PairingIdentity.Invalid.badName)")
        } catch let error as PairingIdentity.Invalid {
            // The keys, not anything the person typed: the roles' keys are misconfigured.
            throw KeysFailure(.internal, "cannot pair: \(error)")
        }
        let topic = code.contentTopic
        relay.subscribe(topic: topic)
        defer { relay.unsubscribe(topic: topic) }
        var host = try PairingHost(code: code, identity: identity)
        relay.publish(topic: topic, payload: host.hello.encoded())
        try socket.send(SessionJSON.frame(.progress, KeysProgress(phase: "waiting for the device", done: 0, total: 2)))
        let deadline = ContinuousClock.now + pairingTimeout
        while true {
            switch host.state {
            case .paired(let device):
                let stored = try devices.add(name: device.name, staticKey: device.staticKey, atMillis: now)
                relay.deviceChanged(stored)
                return KeysResult(devices: [Self.info(stored)])
            case .failed(let failure):
                throw KeysFailure(.pairingFailed, failure.description)
            case .awaitingReply, .awaitingIdentity:
                break
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero, let payload = relay.receive(topic: topic, timeout: remaining) else {
                host.timedOut()
                continue
            }
            // Anything that is not a well-formed frame is dropped: the topic is public.
            guard let frame = try? PairingFrame.decode(payload) else { continue }
            let wasAwaitingReply = host.state == .awaitingReply
            for out in host.receive(frame) { relay.publish(topic: topic, payload: out.encoded()) }
            if wasAwaitingReply, host.state == .awaitingIdentity {
                try? socket.send(SessionJSON.frame(.progress, KeysProgress(phase: "code confirmed", done: 1, total: 2)))
            }
        }
    }

    func listDevices() throws -> KeysResult {
        guard let devices else { return KeysResult(devices: []) }
        return KeysResult(devices: try devices.list().map(Self.info))
    }

    func revokeDevice(_ request: KeysRequest) throws -> KeysResult {
        guard let id = request.deviceID else { throw KeysFailure(.badRequest, "revoke-device needs a device id") }
        guard let devices, let revoked = try devices.revoke(id: id, atMillis: now) else {
            throw KeysFailure(.notFound, "no paired device has id \(id); `nimbus devices` lists them")
        }
        relay?.deviceChanged(revoked)
        return KeysResult(devices: [Self.info(revoked)])
    }

    static func info(_ device: StoredDevice) -> DeviceInfo {
        DeviceInfo(
            id: device.id, name: device.name, staticKey: Hex.encode(device.staticKey),
            pairedAt: rfc3339(millis: device.pairedAtMillis), revokedAt: device.revokedAtMillis.map(rfc3339(millis:)),
            method: device.method)
    }
}
