import Crypto
import Foundation
import Testing

@testable import NimbusLibp2p

/// Replays every `Noise_XX_25519_ChaChaPoly_SHA256` vector of flynn/noise (see ../shared/vectors/README.md):
/// fixed static and ephemeral keys, an optional prologue, three handshake messages, then transport messages
/// alternating initiator → responder and back. Every byte must match.
@Suite struct NoiseVectorTests {
    struct Vector {
        var fields: [String: String] = [:]
        func bytes(_ key: String) -> [UInt8] { hex(fields[key] ?? "") }
        var messageCount: Int { fields.keys.filter { $0.hasSuffix("_ciphertext") }.count }
    }

    static func loadVectors() throws -> [Vector] {
        let url = TestFiles.vectors.appendingPathComponent("noise/flynn-vectors.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        var vectors: [Vector] = []
        var current = Vector()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                if !current.fields.isEmpty { vectors.append(current) }
                current = Vector()
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            current.fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        if !current.fields.isEmpty { vectors.append(current) }
        return vectors.filter { $0.fields["handshake"] == NoiseHandshakeState.protocolName }
    }

    @Test func vectorFileHasXXVectors() throws {
        // A missing file fails here (loadVectors throws), it is never skipped.
        let vectors = try Self.loadVectors()
        #expect(vectors.count >= 4)
    }

    @Test func everyXXVectorMatches() throws {
        let vectors = try Self.loadVectors()
        try #require(!vectors.isEmpty)
        for (index, vector) in vectors.enumerated() {
            var initiator = NoiseHandshakeState(
                isInitiator: true,
                staticKey: try .init(rawRepresentation: vector.bytes("init_static")),
                prologue: vector.bytes("prologue"),
                ephemeralKey: try .init(rawRepresentation: vector.bytes("gen_init_ephemeral"))
            )
            var responder = NoiseHandshakeState(
                isInitiator: false,
                staticKey: try .init(rawRepresentation: vector.bytes("resp_static")),
                prologue: vector.bytes("prologue"),
                ephemeralKey: try .init(rawRepresentation: vector.bytes("gen_resp_ephemeral"))
            )
            var transport:
                (
                    i: (send: NoiseCipherState, receive: NoiseCipherState),
                    r: (send: NoiseCipherState, receive: NoiseCipherState)
                )?
            for message in 0..<vector.messageCount {
                let payload = vector.bytes("msg_\(message)_payload")
                let expected = vector.bytes("msg_\(message)_ciphertext")
                let initiatorSends = message < 3 ? message % 2 == 0 : (message - 3) % 2 == 0
                if message < 3 {
                    if initiatorSends {
                        let ciphertext = try initiator.writeMessage(payload: payload)
                        #expect(ciphertext == expected, "vector \(index) message \(message)")
                        #expect(try responder.readMessage(ciphertext) == payload)
                    } else {
                        let ciphertext = try responder.writeMessage(payload: payload)
                        #expect(ciphertext == expected, "vector \(index) message \(message)")
                        #expect(try initiator.readMessage(ciphertext) == payload)
                    }
                    if message == 2 {
                        #expect(initiator.isComplete && responder.isComplete)
                        #expect(initiator.handshakeHash == responder.handshakeHash)
                        transport = (initiator.split(), responder.split())
                    }
                    continue
                }
                guard var pair = transport else { Issue.record("no transport"); return }
                if initiatorSends {
                    let ciphertext = try pair.i.send.encrypt(payload)
                    #expect(ciphertext == expected, "vector \(index) message \(message)")
                    #expect(try pair.r.receive.decrypt(ciphertext) == payload)
                } else {
                    let ciphertext = try pair.r.send.encrypt(payload)
                    #expect(ciphertext == expected, "vector \(index) message \(message)")
                    #expect(try pair.i.receive.decrypt(ciphertext) == payload)
                }
                transport = pair
            }
        }
    }
}
