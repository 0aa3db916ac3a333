import Crypto
import Foundation
import NimbusPairing
import NimbusRemote
import NimbusWaku
import NimbusWakuPairing

/// `nimbus remote invite --qr`: the device's side of 43/WAKU2-DEVICE-PAIRING (the role the GUI plays with
/// `@waku/noise`): shows the QR string and its nametag, answers the host's handshake and pins the host's key.
/// It prints the 8-digit code and goes on; the person compares it on the host, where `nimbus pair --qr` asks for it.
func inviteByQR(options: RemoteOptions, timeout: Int) async throws {
    let store = try RemoteStore(directory: options.configDirectory)
    let staticKey = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: try store.privateKey())
    let random: (Int) -> [UInt8] = { count in
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in generator.next() }
    }
    let secrets = WakuPairingSecrets.fresh(staticKey: staticKey, randomBytes: random)
    guard let nametag = MessageNametag(bytes: random(MessageNametag.byteCount)) else {
        throw CLIError(description: "cannot make a message nametag")
    }
    var handshake = try WakuPairingHandshake(
        responderWithApplicationName: "nimbus-remote", applicationVersion: "1", shardId: "1",
        qrMessageNametag: nametag, secrets: secrets)
    let topic = handshake.qr.contentTopic(.autosharding)
    let node = try await options.startNode()
    defer { Task { await node.stop() } }
    let messages = await node.subscribe(contentTopics: [topic])
    try await options.waitForSubscription(node, topic: topic)
    FileHandle.standardOutput.write(Data("qr: \(handshake.qr.string)\nnametag: \(nametag.hex)\n".utf8))
    FileHandle.standardError.write(Data(
        "On the host, run: nimbus pair --qr '\(handshake.qr.string)' --qr-message-nametag \(nametag.hex)\n".utf8))
    let (events, stop) = expiring(messages, after: timeout)
    defer { stop() }
    var iterator = events.makeAsyncIterator()
    while true {
        guard let event = await iterator.next(), let message = event else {
            throw CLIError(description: "no host paired within \(timeout) s")
        }
        var actions: [WakuPairingHandshake.Action]
        do {
            actions = try handshake.receive(message.payload)
        } catch WakuPairingError.unexpectedNametag {
            continue  // our own messages, or someone else's on the shared topic
        } catch {
            throw CLIError(description: "pairing failed: \(error)")
        }
        while !actions.isEmpty {
            let action = actions.removeFirst()
            switch action {
            case let .publish(bytes):
                try await node.publish(contentTopic: topic, payload: bytes, version: 2)
            case let .compareAuthCode(code):
                FileHandle.standardOutput.write(Data("auth code: \(code.digits)\n".utf8))
                actions += try handshake.confirmAuthCode()
            case let .paired(session):
                try store.pin(try PairingIdentity(staticKey: session.remoteStaticKey, name: "node manager (paired by QR)"))
                FileHandle.standardOutput.write(Data("paired with \"node manager (paired by QR)\"\n".utf8))
                return
            }
        }
    }
}
