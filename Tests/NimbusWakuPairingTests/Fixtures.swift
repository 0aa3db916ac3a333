import Crypto
import Foundation
import NimbusWakuPairing
import Testing

/// Shared helpers: hex, fixed and random secrets, and a pairing run between the two Swift roles.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repository = directory.deletingLastPathComponent().deletingLastPathComponent()

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func bytes(_ text: String) throws -> [UInt8] {
        let chars = Array(text.utf8)
        try #require(chars.count % 2 == 0, "odd-length hex")
        return try stride(from: 0, to: chars.count, by: 2).map { index in
            try #require(UInt8(String(decoding: chars[index..<index + 2], as: UTF8.self), radix: 16), "bad hex")
        }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    static func randomSecrets() -> WakuPairingSecrets {
        WakuPairingSecrets.fresh(staticKey: Curve25519.KeyAgreement.PrivateKey(), randomBytes: randomBytes)
    }

    static func randomNametag() -> MessageNametag { MessageNametag(bytes: randomBytes(16))! }

    /// The two Swift roles up to (not including) message 1.
    static func pair(
        responderSecrets: WakuPairingSecrets = randomSecrets(), initiatorSecrets: WakuPairingSecrets = randomSecrets()
    ) throws -> (initiator: WakuPairingHandshake, responder: WakuPairingHandshake) {
        let responder = try WakuPairingHandshake(
            responderWithApplicationName: "nimbus-gui", applicationVersion: "0.0.0", shardId: "1",
            qrMessageNametag: randomNametag(), secrets: responderSecrets)
        // The host sees only the QR text and the nametag's hex, as the CLI will.
        let initiator = WakuPairingHandshake(
            initiatorScanning: try WakuPairingQR(parsing: responder.qr.string),
            qrMessageNametag: try MessageNametag(hex: responder.qrMessageNametag.hex), secrets: initiatorSecrets)
        return (initiator, responder)
    }

    static func published(_ actions: [WakuPairingHandshake.Action]) throws -> [UInt8] {
        for case .publish(let bytes) in actions { return bytes }
        Issue.record("no publish action in \(actions.count) actions")
        throw WakuPairingError.failed
    }

    static func code(_ actions: [WakuPairingHandshake.Action]) throws -> WakuPairingAuthCode {
        for case .compareAuthCode(let code) in actions { return code }
        Issue.record("no auth code in \(actions.count) actions")
        throw WakuPairingError.failed
    }

    static func session(_ actions: [WakuPairingHandshake.Action]) throws -> WakuPairingSession {
        for case .paired(let session) in actions { return session }
        Issue.record("no session in \(actions.count) actions")
        throw WakuPairingError.failed
    }

    /// The three messages of a complete run between Swift roles, with both sessions.
    struct Run {
        var messages: [[UInt8]]
        var codes: (WakuPairingAuthCode, WakuPairingAuthCode)
        var initiator: WakuPairingSession
        var responder: WakuPairingSession
    }

    static func run(
        responderSecrets: WakuPairingSecrets = randomSecrets(), initiatorSecrets: WakuPairingSecrets = randomSecrets()
    ) throws -> Run {
        var (alice, bob) = try pair(responderSecrets: responderSecrets, initiatorSecrets: initiatorSecrets)
        let start = try alice.start()
        let m1 = try published(start)
        let bobCode = try code(try bob.receive(m1))
        #expect(try alice.confirmAuthCode().isEmpty)
        let m2 = try published(try bob.confirmAuthCode())
        let done = try alice.receive(m2)
        let m3 = try published(done)
        let bobSession = try session(try bob.receive(m3))
        return Run(messages: [m1, m2, m3], codes: (try code(start), bobCode), initiator: try session(done),
                   responder: bobSession)
    }
}
