import Crypto
import Foundation
import NimbusLibp2p
import NimbusNoise
import NimbusSession
import Testing

/// `Noise_KK_25519_ChaChaPoly_SHA256` against the cacophony/flynn vectors in ../shared/vectors/noise, then the
/// session cipher's replay window.
@Suite struct NoiseKKTests {
    static let vectorFile = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/vectors/noise/flynn-vectors.txt")

    /// The KK vectors (no PSK), each as its key=value lines.
    static func vectors() throws -> [[String: String]] {
        let text = try String(contentsOf: vectorFile, encoding: .utf8)  // a missing file fails: vectors are the point
        return text.components(separatedBy: "\n\n").compactMap { block in
            var fields: [String: String] = [:]
            for line in block.split(separator: "\n") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
            return fields["handshake"] == NoiseKKHandshake.protocolName ? fields : nil
        }
    }

    static func hex(_ text: String?) -> [UInt8] {
        let text = text ?? ""
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    static func publicKey(_ privateKey: [UInt8]) throws -> [UInt8] {
        Array(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: privateKey).publicKey.rawRepresentation)
    }

    @Test func kkVectorsPass() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count == 4)
        for vector in vectors {
            let initStatic = Self.hex(vector["init_static"])
            let respStatic = Self.hex(vector["resp_static"])
            let prologue = Self.hex(vector["prologue"])
            var initiator = try NoiseKKHandshake(
                isInitiator: true, staticKey: initStatic, remoteStaticKey: try Self.publicKey(respStatic),
                prologue: prologue, ephemeralKey: Self.hex(vector["init_ephemeral"] ?? vector["gen_init_ephemeral"]))
            var responder = try NoiseKKHandshake(
                isInitiator: false, staticKey: respStatic, remoteStaticKey: try Self.publicKey(initStatic),
                prologue: prologue,
                ephemeralKey: Self.hex(vector["resp_ephemeral"] ?? vector["gen_resp_ephemeral"]))
            let message0 = try initiator.writeMessage(payload: Self.hex(vector["msg_0_payload"]))
            #expect(message0 == Self.hex(vector["msg_0_ciphertext"]))
            #expect(try responder.readMessage(message0) == Self.hex(vector["msg_0_payload"]))
            let message1 = try responder.writeMessage(payload: Self.hex(vector["msg_1_payload"]))
            #expect(message1 == Self.hex(vector["msg_1_ciphertext"]))
            #expect(try initiator.readMessage(message1) == Self.hex(vector["msg_1_payload"]))
            #expect(initiator.handshakeHash == responder.handshakeHash)
            // Transport messages 2 and 3 use the split keys with Noise's implicit nonces (0 in each direction).
            var toResponder = NoiseCipherState(key: initiator.transportKeys().send)
            var toInitiator = NoiseCipherState(key: responder.transportKeys().send)
            #expect(try toResponder.encrypt(Self.hex(vector["msg_2_payload"])) == Self.hex(vector["msg_2_ciphertext"]))
            #expect(try toInitiator.encrypt(Self.hex(vector["msg_3_payload"])) == Self.hex(vector["msg_3_ciphertext"]))
            #expect(initiator.transportKeys().receive == responder.transportKeys().send)
        }
    }

    @Test func aStrangerWithoutThePinnedKeyFailsTheHandshake() throws {
        let host = Curve25519.KeyAgreement.PrivateKey()
        let device = Curve25519.KeyAgreement.PrivateKey()
        let stranger = Curve25519.KeyAgreement.PrivateKey()
        var impostor = try NoiseKKHandshake(
            isInitiator: true, staticKey: Array(stranger.rawRepresentation),
            remoteStaticKey: Array(host.publicKey.rawRepresentation))
        // The host expects the paired device's key.
        var hostSide = try NoiseKKHandshake(
            isInitiator: false, staticKey: Array(host.rawRepresentation),
            remoteStaticKey: Array(device.publicKey.rawRepresentation))
        let hello = try impostor.writeMessage(payload: Array("GET /".utf8))
        #expect(throws: NoiseError.self) { try hostSide.readMessage(hello) }
    }

    @Test func theSessionCipherAcceptsEachMessageOnceInAnyOrder() throws {
        let a = [UInt8](repeating: 1, count: 32)
        let b = [UInt8](repeating: 2, count: 32)
        var sender = SessionCipher(sendKey: a, receiveKey: b)
        var receiver = SessionCipher(sendKey: b, receiveKey: a)
        let messages = try (0..<5).map { try sender.seal([UInt8($0)], associatedData: Array("topic".utf8)) }
        // Out of order, each once.
        for index in [2, 0, 4, 1, 3] {
            #expect(try receiver.open(messages[index], associatedData: Array("topic".utf8)) == [UInt8(index)])
        }
        #expect(throws: SessionCipher.Failure.replayed) { try receiver.open(messages[2], associatedData: Array("topic".utf8)) }
        // Moved to another topic, or tampered: refused without moving the window.
        let fifth = try sender.seal([5], associatedData: Array("topic".utf8))
        #expect(throws: SessionCipher.Failure.forged) { try receiver.open(fifth, associatedData: Array("other".utf8)) }
        #expect(try receiver.open(fifth, associatedData: Array("topic".utf8)) == [5])
        var tampered = try sender.seal([9], associatedData: [])
        tampered[9] ^= 1
        #expect(throws: SessionCipher.Failure.forged) { try receiver.open(tampered) }
        #expect(throws: SessionCipher.Failure.tooShort) { try receiver.open([1, 2, 3]) }
        // Far behind the newest: too old to tell from a replay, refused.
        for _ in 0..<Int(SessionCipher.window) { _ = try sender.seal([], associatedData: []) }
        let newest = try sender.seal([], associatedData: [])
        _ = try receiver.open(newest)
        #expect(throws: SessionCipher.Failure.tooOld) { try receiver.open(messages[0], associatedData: Array("topic".utf8)) }
    }
}

