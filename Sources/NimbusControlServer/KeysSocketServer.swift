import Foundation
import Logging
import Synchronization

/// Accepts `nimbus keys` clients on their own Unix socket (beside the control socket, same mode and group) and
/// hands each connected descriptor to `handOver` without reading a byte: the conversation is between the client
/// and the signer, so no mnemonic or password the person types ever passes through this role.
///
/// A plain blocking accept loop on one thread rather than NIO: the descriptor must leave this process whole, and
/// NIO does not give up the descriptors it owns.
public final class KeysSocketServer: Sendable {
    private let path: String
    private let mode: UInt32
    private let logger: Logger
    private let listener = Mutex<Int32>(-1)
    private let stopped = Atomic<Bool>(false)

    public init(path: String, mode: UInt32, logger: Logger) {
        self.path = path
        self.mode = mode
        self.logger = logger
    }

    /// Binds the socket (replacing a stale one). Call before the sandbox is locked down.
    public func bind() throws {
        try ControlServer.removeStaleSocket(path)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ControlServerError("cannot create the keys socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw ControlServerError("keys socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw ControlServerError("cannot listen on \(path): \(reason)")
        }
        guard chmod(path, mode_t(mode)) == 0 else {
            close(descriptor)
            throw ControlServerError("cannot set mode \(String(mode, radix: 8)) on \(path): \(String(cString: strerror(errno)))")
        }
        listener.withLock { $0 = descriptor }
    }

    /// Accepts on a thread of its own until `stop`. `handOver` receives each client's descriptor and its peer
    /// credentials and owns the descriptor from then on.
    public func start(handOver: @escaping @Sendable (Int32, ControlPeer) -> Void) {
        let descriptor = listener.withLock { $0 }
        guard descriptor >= 0 else { return }
        let thread = Thread { [self] in
            while !stopped.load(ordering: .relaxed) {
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                // Poll with a timeout so that `stop` is noticed without closing a descriptor under a blocked accept.
                guard poll(&poller, 1, 200) > 0 else { continue }
                let client = accept(descriptor, nil, nil)
                guard client >= 0 else { continue }
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                var credentials = KernelPeerCredentials()
                var length = socklen_t(MemoryLayout<KernelPeerCredentials>.size)
                guard getsockopt(client, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else {
                    close(client)
                    continue
                }
                let peer = ControlPeer(pid: credentials.pid, uid: credentials.uid, gid: credentials.gid)
                logger.info("keys session accepted", metadata: ["peer_uid": "\(peer.uid)", "peer_pid": "\(peer.pid)"])
                handOver(client, peer)
            }
        }
        thread.name = "keys-accept"
        thread.start()
    }

    /// Stops accepting and removes the socket.
    public func stop() {
        stopped.store(true, ordering: .relaxed)
        usleep(250_000)
        listener.withLock { descriptor in
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
        }
        unlink(path)
    }
}
