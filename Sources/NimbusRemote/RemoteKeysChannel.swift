import Foundation
import NimbusAPI
import NimbusKeysChannel

/// A keys channel to a paired host's signer, carried by a session's manager-API requests (docs/keys-channel.md):
/// the device side that `nimbus remote keys` and the benchmark use. The channel's transport is blocking, so open and
/// use it from a thread that may wait (never the cooperative pool: each exchange waits for async session work).
public final class RemoteKeysChannel: Sendable {
    /// Sealed bytes per request: a session's request body is at most 64 KiB, and base64 and JSON add a third.
    public static let sendLimit = 45 * 1024

    public let client: KeysChannelClient
    private let session: RemoteSession
    private let path: String

    private init(client: KeysChannelClient, session: RemoteSession, path: String) {
        self.client = client
        self.session = session
        self.path = path
    }

    /// Opens a channel to the signer whose key the device pinned at pairing.
    public static func open(session: RemoteSession, deviceKey: [UInt8], signerKey: [UInt8]) throws -> RemoteKeysChannel {
        let path = Path()
        let client = try KeysChannelClient(
            deviceKey: deviceKey, signerKey: signerKey,
            handshake: { first in
                let opened: KeysChannelAPI.Opened = try call(
                    session, "POST", "/v1/keys/channels",
                    KeysChannelAPI.OpenRequest(handshake: Data(first).base64EncodedString()), expect: 201)
                guard opened.channel.utf8.count == 32, opened.channel.allSatisfy(\.isHexDigit),
                    let answer = Data(base64Encoded: opened.handshake)
                else { throw RemoteError("the host's answer to opening a keys channel is malformed") }
                path.set("/v1/keys/channels/" + opened.channel)
                return [UInt8](answer)
            },
            exchangeLimit: sendLimit,
            exchange: { messages in
                let output: KeysChannelAPI.Output = try call(
                    session, "POST", path.get(), KeysChannelAPI.Exchange(messages: KeysChannelAPI.encode(messages)),
                    expect: 200)
                guard let sealed = KeysChannelAPI.decode(output.messages), let turn = KeysChannelTurn(rawValue: output.turn)
                else { throw RemoteError("the host's keys-channel answer is not what the API defines") }
                return .init(messages: sealed, turn: turn)
            })
        return RemoteKeysChannel(client: client, session: session, path: path.get())
    }

    /// Tells the signer the conversation is over (it would otherwise wait out its idle time). Blocking.
    public func close() {
        let session = self.session
        let path = self.path
        _ = try? Blocking.wait {
            _ = try? await session.request(method: "DELETE", target: "manager", path: path, timeout: .seconds(10))
        }
    }

    /// One manager-API request through the session; a status other than `expect` is an error with the host's words.
    private static func call<T: Decodable>(
        _ session: RemoteSession, _ method: String, _ path: String, _ body: some Encodable, expect: Int
    ) throws -> T {
        let bytes = [UInt8](try JSONEncoder().encode(body))
        // An exchange may wait 10 s in the signer for a running command, and more over a slow network.
        let response = try Blocking.wait {
            try await session.request(method: method, target: "manager", path: path, body: bytes, timeout: .seconds(60))
        }
        guard response.status == expect else {
            let message = (try? JSONDecoder().decode(APIError.self, from: Data(response.body)))?.error
                ?? String(decoding: response.body.prefix(300), as: UTF8.self)
            throw RemoteError("the host answered HTTP \(response.status): \(message)")
        }
        do { return try JSONDecoder().decode(T.self, from: Data(response.body)) } catch {
            throw RemoteError("the host's answer to \(method) \(path) is not the JSON the API defines")
        }
    }

    /// The channel's path, learnt when it opens.
    private final class Path: @unchecked Sendable {
        private let lock = NSLock()
        private var value = ""
        func set(_ path: String) { lock.withLock { value = path } }
        func get() -> String { lock.withLock { value } }
    }
}

/// Waits on a blocking thread (never the cooperative pool) for async work.
public enum Blocking {
    public static func wait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { outcome.set(.success(try await work())) } catch { outcome.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        return try outcome.get()
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
