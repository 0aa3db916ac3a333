import Crypto
import Foundation
import NimbusKeys
import NimbusKeysChannel
import NimbusKeysSession
import Testing
import NimbusTestSupport

/// `KeysChannelVectors.json` was produced by `Oracles/keys_channel_reference.py`, an independent implementation of
/// the keys channel written from docs/keys-channel.md alone (its own Noise_KK over Python's hashlib/hmac and
/// `cryptography`'s X25519 and ChaCha20-Poly1305). These tests replay each vector through the Swift handshake and
/// cipher byte for byte, and run Swift against the reference live: each side must accept the other's messages and
/// refuse the same tampered, replayed and reordered ones.
@Suite struct KeysChannelVectorTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repository = directory.deletingLastPathComponent().deletingLastPathComponent()

    /// A keys-session frame as the vectors describe it (the reference encodes it; so must `SessionFrame`).
    struct Frame: Codable {
        struct File: Codable {
            var name: String
            var contents: String?
            var contents_text: String?
        }
        var kind: UInt8
        var body: String?
        var text: String?
        var file: File?
    }
    struct Input: Codable {
        var device_static: String
        var signer_static: String
        var device_ephemeral: String
        var signer_ephemeral: String
        var device_to_signer: [Frame]
        var signer_to_device: [Frame]
    }
    struct Sealed: Codable, Equatable {
        var stream: String
        var messages: [String]
    }
    struct Output: Codable, Equatable {
        var device_public: String
        var signer_public: String
        var device_ephemeral_public: String
        var signer_ephemeral_public: String
        var message1: String
        var message2: String
        var handshake_hash: String
        var device_to_signer_key: String
        var signer_to_device_key: String
        var device_to_signer: Sealed
        var signer_to_device: Sealed
    }
    struct Vector: Codable {
        var description: String
        var input: Input
        var output: Output
    }
    struct VectorFile: Decodable {
        var description: String
        var prologue: String
        var max_plaintext_per_message: Int
        var vectors: [Vector]
    }

    static func file() throws -> VectorFile {
        try JSONDecoder().decode(
            VectorFile.self, from: Data(contentsOf: directory.appendingPathComponent("KeysChannelVectors.json")))
    }

    static func vectors() throws -> [Vector] { try file().vectors }

    static func hex(_ text: String) throws -> [UInt8] { try #require(Hex.decode(text)) }

    static func publicKey(_ privateKey: [UInt8]) throws -> [UInt8] {
        Array(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: privateKey).publicKey.rawRepresentation)
    }

    static func sessionFrame(_ frame: Frame) throws -> SessionFrame {
        let kind = try #require(SessionFrame.Kind(rawValue: frame.kind), "kind \(frame.kind)")
        if let body = frame.body { return SessionFrame(kind, try hex(body)) }
        if let text = frame.text { return SessionFrame(kind, Array(text.utf8)) }
        let file = try #require(frame.file)
        #expect(kind == .file)
        let contents = try file.contents.map(hex) ?? Array(try #require(file.contents_text).utf8)
        return SessionFrame.file(try SessionFile(name: file.name, contents: contents))
    }

    static func stream(_ frames: [Frame]) throws -> [UInt8] {
        try frames.map(sessionFrame).flatMap { $0.encoded() }
    }

    /// The file's own claims match what the Swift side uses, so a vector made for another prologue or message size
    /// cannot pass for one of ours.
    @Test func theFileDescribesThisChannel() throws {
        let file = try Self.file()
        #expect(file.prologue.utf8.elementsEqual(KeysChannelHandshake.prologue))
        #expect(file.max_plaintext_per_message == KeysChannelCipher.maximumPlaintextBytes)
        #expect(file.description.contains("keys_channel_reference.py"))
        let vectors = file.vectors
        #expect(vectors.count >= 2)
        // What the vectors promise to cover: a list request, a secret frame, a stream cut in two messages.
        #expect(vectors.contains { $0.input.device_to_signer.first?.text == #"{"command":"list"}"# })
        #expect(vectors.contains { vector in
            (vector.input.device_to_signer + vector.input.signer_to_device)
                .contains { $0.kind == SessionFrame.Kind.secret.rawValue }
        })
        #expect(vectors.contains {
            $0.output.device_to_signer.messages.count >= 2 || $0.output.signer_to_device.messages.count >= 2
        })
    }

    @Test(arguments: try vectors().indices)
    func swiftReproducesEveryMessage(index: Int) throws {
        let vector = try Self.vectors()[index]
        let input = vector.input
        let output = vector.output
        let deviceKey = try Self.hex(input.device_static)
        let signerKey = try Self.hex(input.signer_static)
        #expect(try Self.publicKey(deviceKey) == Self.hex(output.device_public))
        #expect(try Self.publicKey(signerKey) == Self.hex(output.signer_public))
        #expect(try Self.publicKey(Self.hex(input.device_ephemeral)) == Self.hex(output.device_ephemeral_public))
        #expect(try Self.publicKey(Self.hex(input.signer_ephemeral)) == Self.hex(output.signer_ephemeral_public))

        let (initiator, message1) = try KeysChannelHandshake.Initiator.start(
            deviceKey: deviceKey, signerKey: Self.hex(output.signer_public), ephemeralKey: Self.hex(input.device_ephemeral))
        #expect(Hex.encode(message1) == output.message1, "\(vector.description)")
        // The responder reads the vector's message 1, not ours: each side is checked on its own.
        var (message2, signer) = try KeysChannelHandshake.respond(
            signerKey: signerKey, deviceKey: Self.hex(output.device_public), message: Self.hex(output.message1),
            ephemeralKey: Self.hex(input.signer_ephemeral))
        #expect(Hex.encode(message2) == output.message2, "\(vector.description)")
        var device = try initiator.finish(Self.hex(output.message2))

        // The reference's frame encoding is the session's.
        let upstream = try Self.stream(input.device_to_signer)
        let downstream = try Self.stream(input.signer_to_device)
        #expect(Hex.encode(upstream) == output.device_to_signer.stream)
        #expect(Hex.encode(downstream) == output.signer_to_device.stream)

        // Equal ciphertexts mean equal transport keys (so the same Split, in the same order) and equal nonces.
        #expect(try device.seal(upstream).map(Hex.encode) == output.device_to_signer.messages)
        #expect(try signer.seal(downstream).map(Hex.encode) == output.signer_to_device.messages)

        var opened: [UInt8] = []
        for message in output.device_to_signer.messages { opened += try signer.open(Self.hex(message)) }
        #expect(opened == upstream)
        var received: [UInt8] = []
        for message in output.signer_to_device.messages { received += try device.open(Self.hex(message)) }
        #expect(received == downstream)

        // What crossed is keys-session frames whose JSON bodies the session's own types read.
        var decoder = SessionFrameDecoder()
        for frame in try decoder.append(opened) + decoder.append(received) {
            switch frame.kind {
            case .request: _ = try SessionJSON.decode(KeysRequest.self, from: frame.body, what: "request")
            case .progress: _ = try SessionJSON.decode(KeysProgress.self, from: frame.body, what: "progress")
            case .result: _ = try SessionJSON.decode(KeysResult.self, from: frame.body, what: "result")
            case .file: _ = try frame.decodeFile()
            case .secret, .failure: break
            }
        }
        #expect(decoder.pendingBytes == 0)
    }

    /// Runs the reference with one JSON request.
    static func reference(_ request: [String: Any]) throws -> [String: Any] {
        // The reference reads all of its input before it writes, so writing first cannot deadlock on a full pipe.
        try #require(try OraclePython.json(
            "Tests/NimbusSignerKeysTests/Oracles/keys_channel_reference.py", request) as? [String: Any])
    }

    static func string(_ answer: [String: Any], _ field: String) throws -> String {
        try #require(answer[field] as? String, "the reference's answer has no \(field): \(answer["error"] ?? answer)")
    }

    /// The stored vectors are what the reference makes today: the file and the oracle have not drifted apart.
    @Test func theReferenceStillMakesTheStoredVectors() throws {
        for vector in try Self.vectors() {
            var request = try #require(
                try JSONSerialization.jsonObject(with: JSONEncoder().encode(vector.input)) as? [String: Any])
            request["op"] = "vectors"
            let answer = try Self.reference(request)
            try #require(answer["error"] == nil, "the reference refused \(vector.description): \(answer["error"] ?? "")")
            let made = try JSONDecoder().decode(Output.self, from: JSONSerialization.data(withJSONObject: answer))
            #expect(made == vector.output, "\(vector.description)")
        }
    }

    static func randomKey() -> [UInt8] { Array(Curve25519.KeyAgreement.PrivateKey().rawRepresentation) }

    static func randomBytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255) } }

    /// A channel opened live: the Swift device against the reference's signer. Swift's responder, given the same
    /// message 1 and ephemeral, must answer the reference's message 2; `signer()` then gives a fresh Swift cipher
    /// for the signer's end (its keys are the reference's, since its answer is), and `device()` a fresh one for the
    /// device's, so that each refusal below starts from nonce 0.
    struct Live {
        let deviceKey: [UInt8]
        let signerKey: [UInt8]
        let message1: [UInt8]
        let message2: [UInt8]
        let initiator: KeysChannelHandshake.Initiator
        let signerEphemeral: [UInt8]
        let deviceToSignerKey: String
        let signerToDeviceKey: String

        init() throws {
            deviceKey = KeysChannelVectorTests.randomKey()
            signerKey = KeysChannelVectorTests.randomKey()
            signerEphemeral = KeysChannelVectorTests.randomKey()
            (initiator, message1) = try KeysChannelHandshake.Initiator.start(
                deviceKey: deviceKey, signerKey: KeysChannelVectorTests.publicKey(signerKey))
            let answer = try KeysChannelVectorTests.reference([
                "op": "respond", "signer_static": Hex.encode(signerKey),
                "device_public": Hex.encode(try KeysChannelVectorTests.publicKey(deviceKey)),
                "message1": Hex.encode(message1), "signer_ephemeral": Hex.encode(signerEphemeral),
            ])
            message2 = try KeysChannelVectorTests.hex(KeysChannelVectorTests.string(answer, "message2"))
            deviceToSignerKey = try KeysChannelVectorTests.string(answer, "device_to_signer_key")
            signerToDeviceKey = try KeysChannelVectorTests.string(answer, "signer_to_device_key")
        }

        func device() throws -> KeysChannelCipher { try initiator.finish(message2) }

        func signer() throws -> KeysChannelCipher {
            let (answer, cipher) = try KeysChannelHandshake.respond(
                signerKey: signerKey, deviceKey: KeysChannelVectorTests.publicKey(deviceKey), message: message1,
                ephemeralKey: signerEphemeral)
            #expect(answer == message2, "Swift's responder answers otherwise than the reference")
            return cipher
        }
    }

    /// A device's import: a request, a keystore file over one message's worth, the password.
    static func importStream() throws -> [UInt8] {
        var request = KeysRequest(.importKeystores)
        request.fileCount = 1
        return SessionFrame(.request, SessionJSON.encode(request)).encoded()
            + SessionFrame.file(try SessionFile(name: "keystore.json", contents: randomBytes(70_000))).encoded()
            + SessionFrame(.secret, Array("correct horse battery staple".utf8)).encoded()
    }

    static func open(_ key: String, _ messages: [[UInt8]]) throws -> [String: Any] {
        try reference(["op": "open", "key": key, "messages": messages.map { Hex.encode($0) }])
    }

    @Test func swiftAndTheReferenceOpenAChannelAndTalkBothWays() throws {
        let live = try Live()
        var device = try live.device()
        _ = try live.signer()  // Swift's responder agrees with the reference's answer

        // Device to signer: Swift seals, the reference opens and finds the three frames.
        let upstream = try Self.importStream()
        let sealed = try device.seal(upstream)
        #expect(sealed.count == 2)
        let opened = try Self.open(live.deviceToSignerKey, sealed)
        #expect(opened["error"] == nil)
        #expect(try Self.string(opened, "stream") == Hex.encode(upstream))
        #expect((opened["frames"] as? [[String: Any]])?.map { $0["kind"] as? Int } == [0x01, 0x03, 0x02])

        // Signer to device: the reference seals, Swift opens.
        let progress = KeysProgress(phase: "decrypting keystores", done: 1, total: 1)
        let downstream = SessionFrame(.progress, SessionJSON.encode(progress)).encoded()
            + SessionFrame.file(try SessionFile(name: "deposit_data.json", contents: Self.randomBytes(80_000))).encoded()
            + SessionFrame(.result, SessionJSON.encode(KeysResult(keys: []))).encoded()
        let fromReference = try Self.reference(
            ["op": "seal", "key": live.signerToDeviceKey, "stream": Hex.encode(downstream)])
        let messages = try #require(fromReference["messages"] as? [String]).map(Self.hex)
        #expect(messages.count == 2)
        var received: [UInt8] = []
        for message in messages { received += try device.open(message) }
        #expect(received == downstream)
        // Swift's signer end seals the same stream to the same bytes.
        var signer = try live.signer()
        #expect(try signer.seal(downstream) == messages)
    }

    @Test func theReferenceAsDeviceOpensAChannelWithSwiftsSigner() throws {
        let deviceKey = Self.randomKey()
        let signerKey = Self.randomKey()
        let deviceEphemeral = Self.randomKey()
        let first = try Self.reference([
            "op": "initiate", "device_static": Hex.encode(deviceKey),
            "signer_public": Hex.encode(try Self.publicKey(signerKey)), "device_ephemeral": Hex.encode(deviceEphemeral),
        ])
        let message1 = try Self.hex(Self.string(first, "message1"))
        let (message2, swiftSigner) = try KeysChannelHandshake.respond(
            signerKey: signerKey, deviceKey: Self.publicKey(deviceKey), message: message1)
        var signer = swiftSigner
        let done = try Self.reference([
            "op": "initiate", "device_static": Hex.encode(deviceKey),
            "signer_public": Hex.encode(try Self.publicKey(signerKey)), "device_ephemeral": Hex.encode(deviceEphemeral),
            "message2": Hex.encode(message2),
        ])
        // Swift's signer seals; the reference, as device, opens with the keys it split.
        let downstream = SessionFrame(.secret, Array("a new mnemonic to write down".utf8)).encoded()
        let opened = try Self.open(try Self.string(done, "signer_to_device_key"), try signer.seal(downstream))
        #expect(try Self.string(opened, "stream") == Hex.encode(downstream))
        // And the reference's device stream opens at Swift's signer.
        let upstream = try Self.importStream()
        let sealed = try Self.reference(
            ["op": "seal", "key": try Self.string(done, "device_to_signer_key"), "stream": Hex.encode(upstream)])
        var opening: [UInt8] = []
        for message in try #require(sealed["messages"] as? [String]) { opening += try signer.open(Self.hex(message)) }
        #expect(opening == upstream)
    }

    @Test func tamperedReplayedAndReorderedMessagesAreRefusedByBoth() throws {
        let live = try Live()
        var device = try live.device()
        let sealed = try device.seal(try Self.importStream())
        try #require(sealed.count == 2)
        var flipped = sealed[1]
        flipped[100] ^= 0x01

        // (messages as delivered, the first the reference must refuse)
        let cases: [(String, [[UInt8]], Int)] = [
            ("one bit flipped", [sealed[0], flipped], 1),
            ("replayed", [sealed[0], sealed[0]], 1),
            ("reordered", [sealed[1], sealed[0]], 0),
            ("the first dropped", [sealed[1]], 0),
        ]
        for (what, messages, refusedAt) in cases {
            let answer = try Self.open(live.deviceToSignerKey, messages)
            #expect(answer["error"] != nil, "\(what)")
            #expect(answer["index"] as? Int == refusedAt, "\(what)")
            var signer = try live.signer()
            for message in messages[..<refusedAt] { _ = try signer.open(message) }
            #expect(throws: KeysChannelCipher.Failure.notAuthentic, "\(what)") { try signer.open(messages[refusedAt]) }
        }
        // The same messages, untouched and in order, open on both sides: the refusals were the changes'.
        #expect(try Self.open(live.deviceToSignerKey, sealed)["error"] == nil)
        var signer = try live.signer()
        for message in sealed { _ = try signer.open(message) }

        // The other way: the reference seals, a bit flips, and Swift's device and the reference both refuse it.
        let fromReference = try Self.reference([
            "op": "seal", "key": live.signerToDeviceKey,
            "stream": Hex.encode(SessionFrame(.result, SessionJSON.encode(KeysResult(keys: []))).encoded()),
        ])
        var message = try Self.hex(try #require((fromReference["messages"] as? [String])?.first))
        message[message.count - 1] ^= 0x80
        #expect(try Self.open(live.signerToDeviceKey, [message])["index"] as? Int == 0)
        var fresh = try live.device()
        #expect(throws: KeysChannelCipher.Failure.notAuthentic) { try fresh.open(message) }
    }

    @Test func handshakesThatDoNotAuthenticateAreRefusedByBoth() throws {
        let deviceKey = Self.randomKey()
        let signerKey = Self.randomKey()
        let deviceEphemeral = Self.randomKey()
        let devicePublic = try Self.publicKey(deviceKey)
        let signerPublic = try Self.publicKey(signerKey)
        // A fixed device ephemeral, so that the reference can play this same device when message 2 comes back.
        let (initiator, message1) = try KeysChannelHandshake.Initiator.start(
            deviceKey: deviceKey, signerKey: signerPublic, ephemeralKey: deviceEphemeral)
        let (_, stranger) = try KeysChannelHandshake.Initiator.start(deviceKey: Self.randomKey(), signerKey: signerPublic)

        /// The ways a handshake message goes wrong, each with the refusal Swift gives it.
        func spoiled(_ message: [UInt8]) -> [(String, [UInt8], KeysChannelHandshake.Failure)] {
            var inTag = message
            inTag[40] ^= 0x01
            var inEphemeral = message
            inEphemeral[0] ^= 0x01
            return [
                ("tag altered", inTag, .notAuthentic),
                ("ephemeral altered", inEphemeral, .notAuthentic),
                // A low-order ephemeral (all zeros) makes a zero shared secret: neither side may go on with it.
                ("a low-order ephemeral", [UInt8](repeating: 0, count: 32) + message[32...], .notAuthentic),
                ("47 bytes", Array(message.dropLast()), .malformed),
                ("49 bytes", message + [0], .malformed),
            ]
        }

        // Message 1, at the signer.
        for (what, message, failure) in spoiled(message1) + [("made with another device's key", stranger, .notAuthentic)] {
            let answer = try Self.reference([
                "op": "respond", "signer_static": Hex.encode(signerKey), "device_public": Hex.encode(devicePublic),
                "message1": Hex.encode(message),
            ])
            #expect(answer["error"] != nil && answer["message2"] == nil, "message 1, \(what)")
            let refusal = #expect(throws: KeysChannelHandshake.Failure.self, "message 1, \(what)") {
                try KeysChannelHandshake.respond(signerKey: signerKey, deviceKey: devicePublic, message: message)
            }
            #expect(refusal == failure, "message 1, \(what)")
        }

        // The genuine message 1 is answered by both; the reference's answer then goes wrong on its way back.
        let answer = try Self.reference([
            "op": "respond", "signer_static": Hex.encode(signerKey), "device_public": Hex.encode(devicePublic),
            "message1": Hex.encode(message1),
        ])
        let message2 = try Self.hex(Self.string(answer, "message2"))
        _ = try KeysChannelHandshake.respond(signerKey: signerKey, deviceKey: devicePublic, message: message1)
        for (what, message, failure) in spoiled(message2) {
            let verdict = try Self.reference([
                "op": "initiate", "device_static": Hex.encode(deviceKey), "signer_public": Hex.encode(signerPublic),
                "device_ephemeral": Hex.encode(deviceEphemeral), "message2": Hex.encode(message),
            ])
            #expect(verdict["error"] != nil && verdict["device_to_signer_key"] == nil, "message 2, \(what)")
            let refusal = #expect(throws: KeysChannelHandshake.Failure.self, "message 2, \(what)") {
                try initiator.finish(message)
            }
            #expect(refusal == failure, "message 2, \(what)")
        }
        // And the genuine message 2 completes both devices, with the same keys: what one seals the other opens.
        let verdict = try Self.reference([
            "op": "initiate", "device_static": Hex.encode(deviceKey), "signer_public": Hex.encode(signerPublic),
            "device_ephemeral": Hex.encode(deviceEphemeral), "message2": Hex.encode(message2),
        ])
        #expect(try Self.string(verdict, "device_to_signer_key") == Self.string(answer, "device_to_signer_key"))
        var device = try initiator.finish(message2)
        let sealed = try device.seal(Array("{}".utf8))
        let opened = try Self.open(Self.string(verdict, "device_to_signer_key"), sealed)
        #expect(opened["stream"] as? String == Hex.encode(Array("{}".utf8)))
    }
}
