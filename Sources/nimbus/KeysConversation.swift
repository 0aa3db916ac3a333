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

    /// Waits on a blocking thread (never the cooperative pool) for async work.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { outcome.set(.success(try await work())) } catch { outcome.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        return try outcome.get()
    }

    /// Moves a command's body to its thread; the caller waits for it, so nothing touches it concurrently.
    private final class Carrier: @unchecked Sendable {
        let body: () throws -> Void
        init(_ body: @escaping () throws -> Void) { self.body = body }
    }

    private final class Outcome<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<T, any Error>?
        func set(_ value: Result<T, any Error>) { lock.withLock { result = value } }
        func get() throws -> T {
            guard let result = lock.withLock({ result }) else { preconditionFailure("read before set") }
            return try result.get()
        }
    }
}
