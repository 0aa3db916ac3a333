import Foundation
import Testing

/// Locates the shared test vectors: the repository root is three levels up from this file's directory's parent
/// (`<repo>/Tests/NimbusWakuTests/Support/TestVectors.swift`), the vectors are at `<repo>/../shared/vectors`.
enum TestVectors {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The JSON object in `waku/<name>`; a missing file fails the calling test.
    static func wakuJSON(_ name: String) throws -> [String: Any] {
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors/waku/\(name)")
        let data = try #require(
            FileManager.default.contents(atPath: url.path), "missing test vector file \(url.path)")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}

/// Bytes from hex text; traps on bad hex (test data only).
func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

/// Lower-case hex of bytes.
func hexString<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}
