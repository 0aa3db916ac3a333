// Cross-check against two independent implementations in the same run: milagro-bls-binding (Rust) and py_ecc
// (Python), through Oracles/bls_oracle.py. The interpreter is $NIMBUS_ORACLE_PYTHON, else <repo>/.venv/bin/python3;
// if it is missing the test fails and says how to create it.

import Foundation
import Testing
import NimbusTestSupport

@testable import NimbusBLS

@Suite("Oracles: milagro-bls-binding and py_ecc")
struct OracleTests {
    static let keyCount = 20
    /// py_ecc takes about half a second per signature: it signs every fifth message (it verifies all of ours).
    static let pyEccEvery = 5

    static var interpreter: String {
        OraclePython.path
    }

    /// Sends the requests (one JSON object per line) and returns the answers in order.
    func ask(_ requests: [[String: Any]]) throws -> [[String: Any]] {
        let python = Self.interpreter
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestFailure(
                "no Python interpreter at \(python) for the BLS oracles; create it with: python3 -m venv .venv && "
                    + ".venv/bin/pip install py-ecc==8.0.0 milagro-bls-binding==1.9.1 (in the repository root), "
                    + "or point NIMBUS_ORACLE_PYTHON at an interpreter that has both"
            )
        }
        let script = TestPaths.repositoryRoot.appendingPathComponent("Tests/NimbusBLSTests/Oracles/bls_oracle.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // The whole request batch is a few kilobytes, so writing it before reading cannot fill a pipe.
        var payload = Data()
        for request in requests {
            payload.append(try JSONSerialization.data(withJSONObject: request))
            payload.append(0x0a)
        }
        input.fileHandleForWriting.write(payload)
        try input.fileHandleForWriting.close()
        let answerData = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("oracle exited with \(process.terminationStatus): \(errorText)")
        }
        let lines = String(decoding: answerData, as: UTF8.self).split(separator: "\n")
        let answers = try lines.map { line -> [String: Any] in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let answer = try need(object, "a JSON object from the oracle")
            if let error = answer["error"] { throw TestFailure("oracle error: \(error)") }
            return answer
        }
        guard answers.count == requests.count else {
            throw TestFailure("oracle gave \(answers.count) answers to \(requests.count) requests: \(errorText)")
        }
        return answers
    }

    @Test func agreesWithMilagroAndPyEcc() throws {
        var random = SeededGenerator(seed: 0x0ac1e)
        let keys = try (0..<Self.keyCount).map { _ in try SecretKey.keyGen(ikm: random.bytes(32)) }
        let messages = (0..<Self.keyCount).map { index in random.bytes(index * 7 % 97) }
        let publicKeys = keys.map { $0.publicKey() }
        let signatures = zip(keys, messages).map { $0.sign($1) }

        var requests = [[String: Any]]()
        for index in keys.indices {
            let slow = index % Self.pyEccEvery == 0
            requests.append(["op": "sk_to_pk", "sk": hex(keys[index].bytes)])
            requests.append([
                "op": "sign", "sk": hex(keys[index].bytes), "message": hex(messages[index]), "py_ecc": slow,
            ])
            requests.append([
                "op": "verify", "pk": hex(publicKeys[index].compressed), "message": hex(messages[index]),
                "signature": hex(signatures[index].compressed), "py_ecc": true,
            ])
        }
        let common = Array("same message".utf8)
        let commonSignatures = keys.map { $0.sign(common) }
        let aggregate = try BLS.aggregate(commonSignatures)
        requests.append(["op": "aggregate", "signatures": commonSignatures.map { hex($0.compressed) }])
        requests.append([
            "op": "fast_aggregate_verify", "pks": publicKeys.map { hex($0.compressed) }, "message": hex(common),
            "signature": hex(aggregate.compressed),
        ])
        let answers = try ask(requests)

        var pyEccSignatures = 0, pyEccVerifications = 0
        for index in keys.indices {
            let keyAnswer = answers[3 * index]
            let signAnswer = answers[3 * index + 1]
            let verifyAnswer = answers[3 * index + 2]
            // Public keys equal both implementations'.
            #expect(keyAnswer["milagro"] as? String == hex(publicKeys[index].compressed), "key \(index) vs milagro")
            #expect(keyAnswer["py_ecc"] as? String == hex(publicKeys[index].compressed), "key \(index) vs py_ecc")
            // Signatures equal milagro's (and py_ecc's where it signed), and our verify accepts theirs.
            let theirs = try need(signAnswer["milagro"] as? String, "milagro signature")
            #expect(theirs == hex(signatures[index].compressed), "signature \(index) vs milagro")
            let decoded = try Signature(compressed: try need(bytes(hex: theirs), "hex"))
            #expect(decoded.verify(messages[index], publicKey: publicKeys[index]), "our verify of milagro's \(index)")
            if let slow = signAnswer["py_ecc"] as? String {
                #expect(slow == hex(signatures[index].compressed), "signature \(index) vs py_ecc")
                pyEccSignatures += 1
            }
            // Both accept ours.
            #expect(verifyAnswer["milagro"] as? Bool == true, "milagro verifies our signature \(index)")
            if let slow = verifyAnswer["py_ecc"] as? Bool {
                #expect(slow, "py_ecc verifies our signature \(index)")
                pyEccVerifications += 1
            }
        }
        #expect(pyEccSignatures == Self.keyCount / Self.pyEccEvery)
        #expect(pyEccVerifications == Self.keyCount)
        let aggregateAnswer = answers[3 * keys.count], fastAnswer = answers[3 * keys.count + 1]
        #expect(aggregateAnswer["milagro"] as? String == hex(aggregate.compressed))
        #expect(fastAnswer["milagro"] as? Bool == true)
        #expect(BLS.fastAggregateVerify(publicKeys, message: common, signature: aggregate))
    }
}
