/// What the signer needs from the network role to pair a device: the Waku relay of public pairing frames, the
/// network role's session key (which the device pins), and a way to tell it about devices. The signer role
/// implements it over IPC; tests implement it in memory.
public protocol PairingRelay: Sendable {
    /// The public half of the network role's X25519 session key.
    func hostKey() throws -> [UInt8]
    /// Starts forwarding messages of `topic`; `receive` then returns them in order.
    func subscribe(topic: String)
    func unsubscribe(topic: String)
    func publish(topic: String, payload: [UInt8])
    /// The next message on `topic`, or nil when `timeout` passes first.
    func receive(topic: String, timeout: Duration) -> [UInt8]?
    /// A device was paired or revoked.
    func deviceChanged(_ device: StoredDevice)
}

/// A paired device as the signer keeps it.
public struct StoredDevice: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var staticKey: [UInt8]
    public var pairedAtMillis: Int64
    public var revokedAtMillis: Int64?
    /// `cpace` (paired here, by the PAKE) or `waku-noise` (paired by the network role, `nimbus pair --qr`): only
    /// the first kind was authenticated where the network role cannot interfere.
    public var method: String = "cpace"

    public init(id: Int64, name: String, staticKey: [UInt8], pairedAtMillis: Int64, revokedAtMillis: Int64?) {
        self.id = id
        self.name = name
        self.staticKey = staticKey
        self.pairedAtMillis = pairedAtMillis
        self.revokedAtMillis = revokedAtMillis
    }
}

/// Where the signer keeps paired devices.
public protocol DeviceRegistry: Sendable {
    /// Adds a device; returns it with its new id.
    func add(name: String, staticKey: [UInt8], atMillis: Int64, method: String) throws -> StoredDevice
    func list() throws -> [StoredDevice]
    /// Marks a device revoked; nil when there is no such device.
    func revoke(id: Int64, atMillis: Int64) throws -> StoredDevice?
}

extension DeviceRegistry {
    /// A device paired here, by the PAKE.
    public func add(name: String, staticKey: [UInt8], atMillis: Int64) throws -> StoredDevice {
        try add(name: name, staticKey: staticKey, atMillis: atMillis, method: "cpace")
    }
}
