import CNimbusSpawn
import Foundation
import NimbusKeysSession
import NimbusRuntime

/// The CLI's end of a `nimbus keys` session: connected to the daemon's keys socket (the network role hands the
/// connection to the signer unread), to an offline signer this process starts as a sandboxed child, or (for
/// `nimbus remote keys`) a keys channel to a paired host's signer (docs/keys-channel.md).
final class KeysSessionClient {
    let transport: any KeysTransport
    private let child: pid_t?
    private let onClose: (() -> Void)?

    init(transport: any KeysTransport, child: pid_t? = nil, onClose: (() -> Void)? = nil) {
        self.transport = transport
        self.child = child
        self.onClose = onClose
    }

    deinit {
        if let child, let socket = transport as? SessionSocket {
            // Closing our end tells the offline signer to finish; wait so that its database is closed cleanly.
            shutdown(socket.descriptor, Int32(SHUT_RDWR))
            var status: Int32 = 0
            _ = waitpid(child, &status, 0)
        }
        onClose?()
    }

    /// Connects to the keys socket beside `controlSocket`.
    static func connect(controlSocket: String) throws -> KeysSessionClient {
        let path = (controlSocket as NSString).deletingLastPathComponent + "/keys.sock"
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw CLIError(description: "cannot create a socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw CLIError(description: "keys socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            if code == EACCES || code == EPERM {
                throw CLIError(description: "permission denied on \(path): run as root or as a member of the control "
                    + "group (nimbus-nm by default)")
            }
            throw CLIError(description: "cannot reach the node manager's keys socket \(path) "
                + "(\(String(cString: strerror(code)))): is nimbus-node-manager running? On a machine without it, "
                + "use --offline")
        }
        return KeysSessionClient(transport: SessionSocket(descriptor: descriptor))
    }

    /// Starts `nimbus-nm-signer --offline-session` next to this executable, on a key store in `stateDir`, in new
    /// user and network namespaces when the kernel allows (so that it has no network at all), with its end of a
    /// socketpair at descriptor 3.
    static func offline(stateDir: String, policyDir: String?, withdrawalAddress: String?) throws -> KeysSessionClient {
        let executableDir = InstalledLayout.executableDirectory()
        let signer = executableDir + "/nimbus-nm-signer"
        guard FileManager.default.isExecutableFile(atPath: signer) else {
            throw CLIError(description: "cannot find \(signer), which --offline runs")
        }
        guard let policies = policyDir ?? InstalledLayout.policyDirectory(near: executableDir) else {
            throw CLIError(description: "cannot find the seccomp policies (signer.policy); pass --policy-dir")
        }
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        guard chmod(stateDir, 0o700) == 0 else {
            throw CLIError(description: "cannot set mode 0700 on \(stateDir): \(String(cString: strerror(errno)))")
        }
        var pair: [Int32] = [-1, -1]
        guard nm_socketpair(&pair) == 0 else {
            throw CLIError(description: "cannot create a socketpair: \(String(cString: strerror(errno)))")
        }
        var argv = [signer, "--offline-session", "--state-dir", stateDir, "--policy", policies + "/signer.policy"]
        if let withdrawalAddress { argv += ["--withdrawal-address", withdrawalAddress] }
        let environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "SWIFT_BACKTRACE=enable=no"]
        // Root can enter a network namespace directly; anyone else needs a user namespace first. A kernel that
        // refuses both still gets the seccomp policy (no socket at all), and the child says what is not in force.
        let attempts: [(net: Bool, user: Bool)] = getuid() == 0 ? [(true, false), (false, false)] : [(true, true), (false, false)]
        var lastError: Int32 = 0
        for attempt in attempts {
            if let pid = spawn(argv: argv, environment: environment, descriptor: pair[1], net: attempt.net, user: attempt.user, error: &lastError) {
                close(pair[1])
                if !attempt.net {
                    FileHandle.standardError.write(Data("nimbus: the offline signer runs without its own network namespace (the kernel refused one); its seccomp policy still forbids every socket\n".utf8))
                }
                return KeysSessionClient(transport: SessionSocket(descriptor: pair[0]), child: pid)
            }
        }
        close(pair[0])
        close(pair[1])
        throw CLIError(description: "cannot start the offline signer: \(String(cString: strerror(lastError)))")
    }

    private static func spawn(argv: [String], environment: [String], descriptor: Int32, net: Bool, user: Bool, error: inout Int32) -> pid_t? {
        var child = ChildSpawn(path: argv[0], arguments: argv, environment: environment)
        child.descriptors = [descriptor]
        child.newNetNamespace = net
        child.newUserNamespace = user
        do {
            return try child.spawn()
        } catch let failure {
            error = failure.errno
            return nil
        }
    }

    // MARK: the conversation

    func send(_ request: KeysRequest) throws {
        try transport.send(SessionJSON.frame(.request, request))
    }

    func sendSecret(_ bytes: inout [UInt8]) throws {
        defer { for index in bytes.indices { bytes[index] = 0 } }
        try transport.send(SessionFrame(.secret, bytes))
    }

    /// Reads frames until the command's result: progress goes to `onProgress`, files to `onFile`, a secret (the new
    /// mnemonic) to `onSecret`; a failure frame is thrown.
    func awaitResult(
        onProgress: (KeysProgress) -> Void = { _ in }, onFile: (SessionFile) throws -> Void = { _ in },
        onSecret: (inout [UInt8]) throws -> Void = { _ in }
    ) throws -> KeysResult {
        while true {
            guard let frame = try transport.receive() else {
                throw CLIError(description: "the signer closed the session before answering")
            }
            switch frame.kind {
            case .progress:
                onProgress(try SessionJSON.decode(KeysProgress.self, from: frame.body, what: "progress"))
            case .file:
                try onFile(try frame.decodeFile())
            case .secret:
                var bytes = frame.body
                defer { for index in bytes.indices { bytes[index] = 0 } }
                // The handler may have more to say (e.g. send the typed confirmation) before the result comes.
                try onSecret(&bytes)
            case .result:
                return try SessionJSON.decode(KeysResult.self, from: frame.body, what: "result")
            case .failure:
                throw try SessionJSON.decode(KeysFailure.self, from: frame.body, what: "failure")
            case .request:
                throw CLIError(description: "the signer sent a request frame, which the protocol does not allow")
            }
        }
    }
}
