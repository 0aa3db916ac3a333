/// The 8-digit authorization code both devices show after the first handshake message; the person compares them.
/// It is HKDF-SHA256 with the handshake hash as salt and empty input, its first 8 bytes read big-endian, modulo 10^8,
/// written with leading zeros. Equal codes mean both devices saw the same eA, eB and QR.
public struct WakuPairingAuthCode: Hashable, Sendable {
    /// Exactly 8 decimal digits.
    public let digits: String

    init(handshakeHash: [UInt8]) {
        let okm = WakuNoisePrimitives.hkdf(salt: handshakeHash, inputKeyMaterial: [], outputs: 1, length: 8)[0]
        let value = okm.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } % 100_000_000
        let text = String(value)
        digits = String(repeating: "0", count: 8 - text.count) + text
    }
}

extension WakuPairingAuthCode: CustomStringConvertible {
    /// The code is meant for the screen, not for logs: a log reader could confirm a code on the person's behalf.
    public var description: String { "WakuPairingAuthCode(8 digits)" }
}
