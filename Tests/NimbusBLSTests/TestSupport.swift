// Shared helpers: where the repository and the shared vectors are, hex conversion, JSON loading and a seeded
// random source so that property tests are reproducible.

import Foundation
import Testing

@testable import NimbusBLS

enum TestPaths {
    /// The repository root: three levels up from this file (Tests/NimbusBLSTests/<file>), after resolving symlinks
    /// so that a scratch package that links these directories still finds the real repository.
    static let repositoryRoot: URL = {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// `<repo>/../shared/vectors`.
    static let vectors = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors")

    /// The JSON files of one vector directory, sorted by name. A missing or empty directory is an error, never a
    /// silent skip.
    static func jsonFiles(_ subdirectory: String) throws -> [URL] {
        let directory = vectors.appendingPathComponent(subdirectory)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        guard !names.isEmpty else { throw TestFailure("no vectors in \(directory.path)") }
        return names.map { directory.appendingPathComponent($0) }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Bytes from hex (optional 0x prefix); nil for malformed input.
func bytes(hex: String) -> [UInt8]? {
    var digits = Substring(hex)
    if digits.hasPrefix("0x") { digits = digits.dropFirst(2) }
    guard digits.count % 2 == 0 else { return nil }
    var result = [UInt8]()
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        guard let byte = UInt8(digits[index..<next], radix: 16) else { return nil }
        result.append(byte)
        index = next
    }
    return result
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

/// Reads a JSON file as a dictionary.
func loadJSON(_ url: URL) throws -> [String: Any] {
    let data = try Data(contentsOf: url)
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw TestFailure("\(url.lastPathComponent) is not a JSON object")
    }
    return object
}

/// SplitMix64: a tiny deterministic generator for property tests (fixed seeds, reproducible failures).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

extension SeededGenerator {
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    /// A uniformly random field element (64 random bytes reduced mod p).
    mutating func fp() -> Fp { Fp(reducingBigEndian: bytes(64)[...]) }
    mutating func fp2() -> Fp2 { Fp2(fp(), fp()) }
    mutating func fp6() -> Fp6 { Fp6(fp2(), fp2(), fp2()) }
    mutating func fp12() -> Fp12 { Fp12(fp6(), fp6()) }

    /// A random non-zero scalar below r.
    mutating func scalar() -> Scalar {
        while true {
            let candidate = Scalar(reducingBigEndian: bytes(48))
            if candidate.isValidSecretMask != 0 { return candidate }
        }
    }

    mutating func g1() -> G1Projective { G1Point.generator.projective.multiplied(bySecret: scalar()) }
    mutating func g2() -> G2Projective { G2Point.generator.projective.multiplied(bySecret: scalar()) }
}

/// The hex-encoded bytes at `key` of a vector's input.
func hexField(_ input: [String: Any], _ key: String) throws -> [UInt8] {
    guard let text = input[key] as? String else { throw TestFailure("missing string field \(key)") }
    guard let value = bytes(hex: text) else { throw TestFailure("field \(key) is not hex: \(text)") }
    return value
}

/// The hex-encoded byte strings of a list field.
func hexList(_ input: [String: Any], _ key: String) throws -> [[UInt8]] {
    guard let list = input[key] as? [String] else { throw TestFailure("missing list field \(key)") }
    return try list.map { text in
        guard let value = bytes(hex: text) else { throw TestFailure("field \(key) has non-hex \(text)") }
        return value
    }
}

/// A vector's boolean output.
func boolOutput(_ output: Any) throws -> Bool {
    guard let value = output as? Bool else { throw TestFailure("output is not a boolean: \(output)") }
    return value
}

/// Unwraps an optional or throws a failure naming what was missing (usable inside expressions, unlike #require).
func need<T>(_ value: T?, _ what: @autoclosure () -> String) throws -> T {
    guard let value else { throw TestFailure("missing: \(what())") }
    return value
}
