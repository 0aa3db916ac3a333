/// The `waku2` ENR field (WAKU2-ENR, "waku2 ENR key"): one byte of flags for the protocols a Waku node serves,
/// bit 0 the least significant.
public struct WakuCapabilities: OptionSet, Hashable, Sendable {
    /// The flag byte.
    public let rawValue: UInt8

    /// Capabilities from the flag byte; undefined bits are kept as they are.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Bit 0: 11/WAKU2-RELAY.
    public static let relay = WakuCapabilities(rawValue: 1 << 0)
    /// Bit 1: 13/WAKU2-STORE.
    public static let store = WakuCapabilities(rawValue: 1 << 1)
    /// Bit 2: 12/WAKU2-FILTER.
    public static let filter = WakuCapabilities(rawValue: 1 << 2)
    /// Bit 3: 19/WAKU2-LIGHTPUSH.
    public static let lightpush = WakuCapabilities(rawValue: 1 << 3)
    /// Bit 4: store sync, which nwaku sets though the spec still lists the bit as undefined.
    public static let sync = WakuCapabilities(rawValue: 1 << 4)
}
