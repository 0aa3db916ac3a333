import CNimbusSpawn
import Foundation
import Logging
import NimbusKeys
import NimbusKeysSession
import NimbusSignerCore
import NimbusSignerKeys

/// Serves `nimbus keys` sessions on sockets the network role hands over, one thread each.
struct KeysSessions: Sendable {
    let service: KeysSessionService
    let clients: KeysClientPolicy
    let logger: Logger

    /// Checks who is on the other end of `descriptor` (the kernel's answer, not the network role's) and serves the
    /// session on a thread of its own. Takes ownership of `descriptor`.
    func open(_ descriptor: Int32, claimed: KeysClientSummary) {
        Thread.detachNewThread { [self] in
            let socket = SessionSocket(descriptor: descriptor)
            var pid: pid_t = 0
            var uid: uid_t = 0
            var gid: gid_t = 0
            guard nm_peer_credentials(descriptor, &pid, &uid, &gid) == 0 else {
                logger.warning("keys session refused: cannot read the peer's credentials")
                return
            }
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            let groups = status.flatMap(KeysClientPolicy.groups(fromProcStatus:)) ?? [gid]
            guard clients.permits(uid: uid, groups: groups) else {
                logger.warning("keys session refused", metadata: ["peer_uid": "\(uid)", "peer_pid": "\(pid)"])
                try? socket.send(SessionJSON.frame(.failure, KeysFailure(
                    .denied, "uid \(uid) may not use the signer's keys: run `nimbus keys` as root or as a member of "
                        + "the node manager's control group")))
                return
            }
            logger.info("keys session", metadata: [
                "peer_uid": "\(uid)", "peer_pid": "\(pid)", "network_saw_uid": "\(claimed.uid)",
            ])
            service.serve(socket) { record in
                // The command and how it ended; never a request's content.
                logger.info("keys command", metadata: ["command": "\(record.command)", "outcome": "\(record.outcome)"])
            }
        }
    }
}

/// What the network role said about the client (logged beside what the signer read itself).
struct KeysClientSummary: Sendable {
    var uid: UInt32
}
