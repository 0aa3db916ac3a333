/// How a test feeds bytes to a state machine: everything at once, one byte at a time, or in odd-sized pieces.
enum Feeding: CaseIterable, Sendable, CustomStringConvertible {
    case batched, dripFed, oddChunks

    func split(_ bytes: [UInt8]) -> [[UInt8]] {
        let size: Int
        switch self {
        case .batched: return bytes.isEmpty ? [] : [bytes]
        case .dripFed: size = 1
        case .oddChunks: size = 7
        }
        return stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
    }

    var description: String {
        switch self {
        case .batched: "batched"
        case .dripFed: "drip-fed"
        case .oddChunks: "7-byte chunks"
        }
    }
}
