import ArgumentParser
import Foundation

/// Where a `nimbus keys` conversation goes: the local signer (`SignerOptions`: the daemon's keys socket or
/// `--offline`), or a paired host's signer through a keys channel (`RemoteKeysOptions`, `nimbus remote keys`).
/// The key commands are generic over it, so both speak exactly the same commands.
protocol KeysSignerSource: ParsableArguments {
    /// Opens a conversation. Blocking: called on the thread `KeysConversation.offPool` gives the command.
    func open() throws -> KeysSessionClient
}

enum KeysConversation {
    /// Runs a command's blocking conversation on a thread of its own. A keys conversation blocks on its socket or
    /// channel; over a channel each exchange waits for async network work, which must not be starved by the
    /// blocked thread (the cooperative pool has only as many threads as cores).
    static func offPool(_ body: @escaping () throws -> Void) async throws {
        let work = Carrier(body)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                do {
                    try work.body()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Moves a command's body to its thread; the caller waits for it, so nothing touches it concurrently.
    private final class Carrier: @unchecked Sendable {
        let body: () throws -> Void
        init(_ body: @escaping () throws -> Void) { self.body = body }
    }
}
