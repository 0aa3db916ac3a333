import Crypto
import NimbusNoise

/// Transport encryption for a session over Waku, where messages can be lost, duplicated or reordered: each message
/// carries its 64-bit counter in clear, is sealed with ChaCha20-Poly1305 under the direction's key (nonce = 4 zero
/// bytes and the counter little-endian, as Noise does), and the receiver accepts each counter once, within a window
/// of the highest seen (replays and very old messages are refused).
public struct SessionCipher: Sendable {
    /// How far behind the highest counter a message may arrive and still be accepted.
    public static let window: UInt64 = 1024

    private let sendKey: [UInt8]
    private let receiveKey: [UInt8]
    public private(set) var nextSend: UInt64 = 0
    private var highest: UInt64?
    /// The highest counter authenticated so far from the other side.
    public var highestReceived: UInt64? { highest }

    /// The clear counter at the front of a sealed message, if it is long enough to be one.
    public static func counter(of message: [UInt8]) -> UInt64? {
        guard message.count >= 8 + 16 else { return nil }
        return message[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
    private var seen: Set<UInt64> = []

    public init(sendKey: [UInt8], receiveKey: [UInt8]) {
        self.sendKey = sendKey
        self.receiveKey = receiveKey
    }

    public enum Failure: Error, Equatable, Sendable {
        case tooShort
        case replayed
        case tooOld
        case forged
        case exhausted
    }

    /// counter (8 bytes, big-endian) || ciphertext || tag. `associatedData` binds the message to its context (e.g.
    /// the content topic).
    public mutating func seal(_ plaintext: [UInt8], associatedData: [UInt8] = []) throws(Failure) -> [UInt8] {
        guard nextSend < UInt64.max else { throw .exhausted }
        let counter = nextSend
        nextSend += 1
        let box = try! ChaChaPoly.seal(
            plaintext, using: SymmetricKey(data: sendKey), nonce: Self.nonce(counter),
            authenticating: Self.header(counter) + associatedData)
        return Self.header(counter) + Array(box.ciphertext) + Array(box.tag)
    }

    public mutating func open(_ message: [UInt8], associatedData: [UInt8] = []) throws(Failure) -> [UInt8] {
        guard message.count >= 8 + 16 else { throw .tooShort }
        let counter = message[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        if let highest {
            if counter + Self.window <= highest { throw .tooOld }
            if seen.contains(counter) { throw .replayed }
        }
        guard let box = try? ChaChaPoly.SealedBox(
            nonce: Self.nonce(counter), ciphertext: message[8..<(message.count - 16)], tag: message.suffix(16)),
            let plaintext = try? ChaChaPoly.open(box, using: SymmetricKey(data: receiveKey),
                                                 authenticating: Self.header(counter) + associatedData)
        else { throw .forged }
        // Only authentic counters move the window, so a forger cannot push real messages out of it.
        seen.insert(counter)
        if counter > (highest ?? 0) || highest == nil { highest = counter }
        if let highest { seen = seen.filter { $0 + Self.window > highest } }
        return Array(plaintext)
    }

    static func header(_ counter: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: counter >> (56 - 8 * UInt64($0))) }
    }

    static func nonce(_ counter: UInt64) -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 4)
        withUnsafeBytes(of: counter.littleEndian) { bytes += $0 }
        return try! ChaChaPoly.Nonce(data: bytes)
    }
}
