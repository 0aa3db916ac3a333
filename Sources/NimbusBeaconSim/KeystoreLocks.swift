import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Exclusive locks on keystore files, held while a key is attached, as Nimbus holds them (`openLockedFile`): a
/// second node pointed at the same validators directory cannot load a key the first one uses.
///
/// `flock` rather than `fcntl` record locks, because the latter vanish when *any* descriptor of the file is closed
/// in the process, and the simulator reads keystore files again (to list derivation paths).
public final class KeystoreLocks: Sendable {
    private let held = Mutex<[String: Int32]>([:])

    /// No locks yet.
    public init() {}

    /// Locks `path` for `pubkey`; false if another process holds it (or it cannot be opened).
    public func lock(pubkey: String, path: String) -> Bool {
        if held.withLock({ $0[pubkey] != nil }) { return true }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return false
        }
        held.withLock { $0[pubkey] = descriptor }
        return true
    }

    /// Releases the lock of `pubkey`, if held.
    public func unlock(pubkey: String) {
        guard let descriptor = held.withLock({ $0.removeValue(forKey: pubkey) }) else { return }
        close(descriptor)
    }

    /// Whether this process holds the lock of `pubkey`.
    public func holds(pubkey: String) -> Bool { held.withLock { $0[pubkey] != nil } }
}
