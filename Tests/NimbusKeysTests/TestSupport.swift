import Foundation
import Testing
@testable import NimbusKeys

/// Paths, vector loading and small conversions shared by the tests.
enum TestSupport {
    /// The repository root: three levels above this file (symlinks resolved, so a scratch package that links the
    /// test folder still finds the real repository).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `<repo>/../shared/vectors`.
    static let vectorsDirectory = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors")

    /// The bytes of a vector file; a missing file fails the calling test (it never skips).
    static func vectorData(_ relativePath: String) throws -> Data {
        let url = vectorsDirectory.appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("missing test vector file \(url.path): the vectors must be at <repo>/../shared/vectors")
            throw VectorMissing(path: url.path)
        }
        return data
    }

    struct VectorMissing: Error {
        let path: String
    }

    /// A vector file parsed as JSON, with bare integers longer than 18 digits turned into strings first (EIP-2333
    /// vectors write 255-bit keys as JSON numbers, which JSONSerialization would round).
    static func vectorJSON(_ relativePath: String) throws -> Any {
        let text = String(decoding: try vectorData(relativePath), as: UTF8.self)
        let quoted = text.replacingOccurrences(
            of: #"(:\s*)(\d{19,})"#, with: "$1\"$2\"", options: .regularExpression)
        return try JSONSerialization.jsonObject(with: Data(quoted.utf8))
    }

    static func bytes(_ hex: String) -> [UInt8] {
        guard let bytes = Hex.decode(hex, allowPrefix: true) else {
            Issue.record("bad hex in a test: \(hex)")
            return []
        }
        return bytes
    }

    /// A decimal integer string as 32 big-endian bytes.
    static func scalar(decimal: String) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        for digit in decimal.utf8 {
            var carry = UInt32(digit - 48)
            for index in out.indices.reversed() {
                let value = UInt32(out[index]) * 10 + carry
                out[index] = UInt8(value & 0xFF)
                carry = value >> 8
            }
        }
        return out
    }

    static func secret(_ hex: String) -> SecretBytes {
        SecretBytes(copying: bytes(hex))
    }
}

/// A deterministic generator for reproducible "random" inputs (xorshift64*), never for keys outside tests.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed
    }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
