/// The window of nametags one direction of a paired session will use next (35/WAKU2-NOISE, as js-noise implements
/// it): the n-th nametag is the first 16 bytes of SHA-256(secret || n as 8 bytes little-endian), n counting from 0,
/// and the window holds the next 50. The sender takes the first; the receiver accepts only the first, and drops it
/// once the message decrypts.
struct MessageNametagBuffer: Sendable {
    static let size = 50

    private let secret: [UInt8]
    private(set) var window: [MessageNametag]
    /// The counter of the nametag after the window's last.
    private var nextCounter: UInt64

    init(secret: [UInt8]) {
        self.secret = secret
        window = (0..<UInt64(Self.size)).map { Self.nametag(secret: secret, counter: $0) }
        nextCounter = UInt64(Self.size)
    }

    static func nametag(secret: [UInt8], counter: UInt64) -> MessageNametag {
        let counterBytes = (0..<8).map { UInt8(counter >> (8 * UInt64($0)) & 0xFF) }
        return MessageNametag(truncating: WakuNoisePrimitives.sha256(secret, counterBytes))
    }

    var next: MessageNametag { window[0] }

    /// Where `nametag` sits in the window (0: the next expected), or nil.
    func position(of nametag: MessageNametag) -> Int? { window.firstIndex(of: nametag) }

    /// Drops the first nametag and extends the window by one.
    mutating func advance() {
        window.removeFirst()
        window.append(Self.nametag(secret: secret, counter: nextCounter))
        nextCounter += 1
    }
}
