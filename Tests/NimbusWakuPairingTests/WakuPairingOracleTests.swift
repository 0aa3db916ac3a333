import Crypto
import Foundation
import NimbusWakuPairing
import Testing

/// Live cross-checks against the Python reference with fresh random keys on both sides: Swift as the host
/// (initiator) against Python showing the QR, and Swift showing the QR against a Python initiator; then transport
/// messages both ways, and the refusals the protocol requires when a peer misbehaves.
@Suite(.serialized) struct WakuPairingOracleTests {
    static func string(_ object: [String: Any], _ key: String) throws -> String {
        try #require(object[key] as? String, "the oracle's answer has no \(key): \(object)")
    }

    @Test func swiftHostPairsWithPythonDeviceAndTalksBothWays() throws {
        let python = try PythonPairingPeer(role: "responder")
        let shown = try python.receive()
        let secrets = Fixtures.randomSecrets()
        var alice = WakuPairingHandshake(
            initiatorScanning: try WakuPairingQR(parsing: try Self.string(shown, "qr")),
            qrMessageNametag: try MessageNametag(hex: try Self.string(shown, "nametag")), secrets: secrets)
        let start = try alice.start()
        try python.send(["message": Fixtures.hex(try Fixtures.published(start))])
        #expect(try Self.string(try python.receive(), "auth_code") == (try Fixtures.code(start)).digits)
        _ = try alice.confirmAuthCode()
        let m2 = try Fixtures.bytes(try Self.string(try python.receive(), "publish"))
        let done = try alice.receive(m2)
        try python.send(["message": Fixtures.hex(try Fixtures.published(done))])
        let paired = try python.receive()
        var session = try Fixtures.session(done)
        #expect(paired["paired"] as? Bool == true)
        #expect(Fixtures.hex(session.remoteStaticKey) == (try Self.string(shown, "static_public")))
        #expect(try Self.string(paired, "remote_static") == Fixtures.hex(
            Array(secrets.staticKey.publicKey.rawRepresentation)))
        #expect(try Self.string(paired, "handshake_hash") == Fixtures.hex(session.handshakeHash))
        try Self.talk(&session, python)
        try python.finish()
    }

    @Test func pythonHostPairsWithSwiftDeviceAndTalksBothWays() throws {
        let python = try PythonPairingPeer(role: "initiator")
        let secrets = Fixtures.randomSecrets()
        var bob = try WakuPairingHandshake(
            responderWithApplicationName: "nimbus-gui", applicationVersion: "0.0.0", shardId: "e85d3e24",
            qrMessageNametag: Fixtures.randomNametag(), secrets: secrets)
        try python.send(["qr": bob.qr.string, "nametag": bob.qrMessageNametag.hex])
        let first = try python.receive()
        let code = try Fixtures.code(try bob.receive(try Fixtures.bytes(try Self.string(first, "publish"))))
        #expect(code.digits == (try Self.string(first, "auth_code")))
        try python.send(["message": Fixtures.hex(try Fixtures.published(try bob.confirmAuthCode()))])
        let third = try python.receive()
        #expect(third["paired"] as? Bool == true)
        var session = try Fixtures.session(try bob.receive(try Fixtures.bytes(try Self.string(third, "publish"))))
        #expect(Fixtures.hex(session.remoteStaticKey) == (try Self.string(first, "static_public")))
        #expect(try Self.string(third, "remote_static") == Fixtures.hex(
            Array(secrets.staticKey.publicKey.rawRepresentation)))
        #expect(try Self.string(third, "handshake_hash") == Fixtures.hex(session.handshakeHash))
        try Self.talk(&session, python)
        try python.finish()
    }

    /// Three messages each way, interleaved, of sizes around the padding block.
    static func talk(_ session: inout WakuPairingSession, _ python: PythonPairingPeer) throws {
        for size in [0, 248, 700] {
            let message = Fixtures.randomBytes(size)
            try python.send(["open": Fixtures.hex(try session.seal(message))])
            #expect(try string(try python.receive(), "plaintext") == Fixtures.hex(message))
            try python.send(["seal": Fixtures.hex(message)])
            let payload = try Fixtures.bytes(try string(try python.receive(), "payload"))
            #expect(try session.open(payload) == message)
        }
    }

    /// A device that opens its commitment with other randomness (as one that swapped its static key would) is
    /// refused by the Swift host before it reveals its own static key.
    @Test func swiftHostRefusesADeviceWhoseStaticKeyDoesNotOpenTheQRCommitment() throws {
        let python = try PythonPairingPeer(role: "responder", openWrong: true)
        let shown = try python.receive()
        var alice = WakuPairingHandshake(
            initiatorScanning: try WakuPairingQR(parsing: try Self.string(shown, "qr")),
            qrMessageNametag: try MessageNametag(hex: try Self.string(shown, "nametag")),
            secrets: Fixtures.randomSecrets())
        try python.send(["message": Fixtures.hex(try Fixtures.published(try alice.start()))])
        _ = try python.receive()
        _ = try alice.confirmAuthCode()
        let m2 = try Fixtures.bytes(try Self.string(try python.receive(), "publish"))
        #expect(throws: WakuPairingError.committedStaticKeyMismatch) { try alice.receive(m2) }
        #expect(alice.phase == .failed)
        try python.finish()
    }

    @Test func swiftDeviceRefusesAHostWhoseStaticKeyDoesNotOpenItsCommitment() throws {
        let python = try PythonPairingPeer(role: "initiator", openWrong: true)
        var bob = try WakuPairingHandshake(
            responderWithApplicationName: "nimbus-gui", applicationVersion: "0.0.0", shardId: "1",
            qrMessageNametag: Fixtures.randomNametag(), secrets: Fixtures.randomSecrets())
        try python.send(["qr": bob.qr.string, "nametag": bob.qrMessageNametag.hex])
        _ = try bob.receive(try Fixtures.bytes(try Self.string(try python.receive(), "publish")))
        try python.send(["message": Fixtures.hex(try Fixtures.published(try bob.confirmAuthCode()))])
        let m3 = try Fixtures.bytes(try Self.string(try python.receive(), "publish"))
        #expect(throws: WakuPairingError.committedStaticKeyMismatch) { try bob.receive(m3) }
        try python.finish()
    }

    /// The oracle refuses what Swift refuses: a flipped byte in a Swift message, and a transport message out of turn.
    @Test func theOracleRefusesTamperedSwiftMessages() throws {
        for position in [20, 100, 322] {
            let python = try PythonPairingPeer(role: "responder")
            let shown = try python.receive()
            var alice = WakuPairingHandshake(
                initiatorScanning: try WakuPairingQR(parsing: try Self.string(shown, "qr")),
                qrMessageNametag: try MessageNametag(hex: try Self.string(shown, "nametag")),
                secrets: Fixtures.randomSecrets())
            var m1 = try Fixtures.published(try alice.start())
            m1[position] ^= 0x80
            try python.send(["message": Fixtures.hex(m1)])
            #expect(try python.receive()["error"] != nil, "byte \(position)")
            try python.finish()
        }
        let python = try PythonPairingPeer(role: "initiator")
        var bob = try WakuPairingHandshake(
            responderWithApplicationName: "nimbus-gui", applicationVersion: "0.0.0", shardId: "1",
            qrMessageNametag: Fixtures.randomNametag(), secrets: Fixtures.randomSecrets())
        try python.send(["qr": bob.qr.string, "nametag": bob.qrMessageNametag.hex])
        _ = try bob.receive(try Fixtures.bytes(try Self.string(try python.receive(), "publish")))
        var m2 = try Fixtures.published(try bob.confirmAuthCode())
        m2[40] ^= 1  // inside the encrypted static key
        try python.send(["message": Fixtures.hex(m2)])
        #expect(try python.receive()["error"] != nil)
        try python.finish()
    }
}
