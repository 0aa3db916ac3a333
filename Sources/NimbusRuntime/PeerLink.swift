import NimbusIPC
import Synchronization

/// A link to a peer role that survives the peer's restarts: when the supervisor sends `peerLinkReplaced`, the new
/// descriptor replaces the old channel, and requests made meanwhile fail with `LinkError.closed`.
public final class PeerLink: Sendable {
    public let link: Link
    public let local: Role
    private let current = Mutex<LinkChannel?>(nil)

    public init(link: Link, local: Role) {
        self.link = link
        self.local = local
    }

    /// Installs a channel over `descriptor` (closing the previous one) and starts it.
    public func attach(
        descriptor: Int32, onEvent: @escaping @Sendable (LinkChannel, LinkChannel.Event) -> Void,
        onClose: @escaping @Sendable (LinkChannel, LinkChannel.Closure) -> Void
    ) {
        let channel = LinkChannel(link: link, local: local, descriptor: descriptor)
        let previous = current.withLock { slot -> LinkChannel? in
            defer { slot = channel }
            return slot
        }
        previous?.close()
        channel.start(onEvent: { onEvent(channel, $0) }, onClose: { [weak self] closure in
            self?.current.withLock { slot in if slot === channel { slot = nil } }
            onClose(channel, closure)
        })
    }

    /// Sends a request to whichever channel is current.
    public func request(_ message: IPCMessage, timeout: Duration = .seconds(10)) async throws -> IPCMessage {
        guard let channel = current.withLock({ $0 }) else { throw LinkError.closed(peer: link.peer(of: local)) }
        return try await channel.request(message, timeout: timeout)
    }

    /// Sends a notification on whichever channel is current, passing `descriptor` with it when the message carries
    /// one. False when the peer is down (the caller still owns the descriptor then).
    public func notify(_ message: IPCMessage, passing descriptor: Int32 = -1) -> Bool {
        guard let channel = current.withLock({ $0 }) else { return false }
        return channel.notify(message, passing: descriptor)
    }

    /// Closes the current channel, if any.
    public func close() {
        current.withLock { $0 }?.close()
    }
}
