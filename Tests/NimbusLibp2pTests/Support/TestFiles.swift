import Foundation

/// Paths of the repository and the shared test data, found from this file's location so that tests run from any
/// working directory: the repository root is three levels up (Tests/NimbusLibp2pTests/Support/…, so four here).
enum TestFiles {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // NimbusLibp2pTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository

    /// `<repo>/../shared/vectors`.
    static let vectors = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors")

    /// The Python peers of the interop tests.
    static let interop = repositoryRoot.appendingPathComponent("Tests/NimbusLibp2pTests/Interop")
}

/// Hex for test data.
func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var iterator = text.utf8.makeIterator()
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: fatalError("bad hex digit in test data")
        }
    }
    while let high = iterator.next(), let low = iterator.next() { bytes.append(nibble(high) << 4 | nibble(low)) }
    return bytes
}
