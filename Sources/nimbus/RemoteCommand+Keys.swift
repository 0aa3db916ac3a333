import ArgumentParser
import Foundation
import NimbusAPI
import NimbusHex
import NimbusKeysChannel
import NimbusRemote
import NimbusWaku

/// `nimbus remote keys ...`: the same key commands as `nimbus keys`, run against a paired host's signer through a
/// keys channel (docs/keys-channel.md). Mnemonics, passwords and keystores are sealed between this client and the
/// signer; the host's network role, which carries them over Waku, cannot read or alter them.
extension RemoteCommand {
    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys",
            abstract: "Manage a paired host's validator keys end to end with its signer (as `nimbus keys`).",
            subcommands: [
                KeysCommand.NewMnemonic<RemoteKeysOptions>.self, KeysCommand.Generate<RemoteKeysOptions>.self,
                KeysCommand.List<RemoteKeysOptions>.self, KeysCommand.Import<RemoteKeysOptions>.self,
                KeysCommand.Export<RemoteKeysOptions>.self, KeysCommand.Delete<RemoteKeysOptions>.self,
                KeysCommand.VerifyDepositData<RemoteKeysOptions>.self, KeysCommand.DepositData<RemoteKeysOptions>.self,
            ])
    }
}

/// A paired host's signer, reached through a session over Waku and a keys channel inside it.
struct RemoteKeysOptions: KeysSignerSource {
    @OptionGroup var remote: RemoteOptions

    @Option(name: .long, help: "The paired host, by name (default: the only one).")
    var host: String?

    /// Sealed bytes per request: a session's request body is at most 64 KiB, and base64 and JSON add a third.
    static let sendLimit = 45 * 1024

    func open() throws -> KeysSessionClient {
        let (store, pinned) = try remote.pinnedHost(named: host)
        let hostKey = try remote.pairedHost(named: host).hostKey
        guard let signerText = pinned.signerKey, let signerKey = Hex.decode(signerText), signerKey.count == 32 else {
            throw CLIError(description: "\(pinned.name) was paired without its signer's key (`nimbus pair --qr`): pair "
                + "again with a code (`nimbus remote invite`, then `nimbus pair CODE` on the host) to manage keys")
        }
        let deviceKey = try store.privateKey()
        let remote = self.remote
        let (node, session) = try KeysConversation.blocking { () async throws -> (WakuNode, RemoteSession) in
            let node = try await remote.startNode()
            do {
                return (node, try await RemoteSession.open(node: node, privateKey: deviceKey, hostKey: hostKey, timeout: .seconds(30)))
            } catch {
                await node.stop()
                throw error
            }
        }
        let channel = ChannelPath()
        let transport: KeysChannelClient
        do {
            transport = try KeysChannelClient(
                deviceKey: deviceKey, signerKey: signerKey,
                handshake: { first in
                    let body = try JSONEncoder().encode(KeysChannelAPI.OpenRequest(handshake: Data(first).base64EncodedString()))
                    let opened: KeysChannelAPI.Opened = try Self.call(session, "POST", "/v1/keys/channels", body: body, expect: 201)
                    guard opened.channel.utf8.count == 32, opened.channel.allSatisfy(\.isHexDigit),
                        let answer = Data(base64Encoded: opened.handshake)
                    else { throw CLIError(description: "the host's answer to opening a keys channel is malformed") }
                    channel.set("/v1/keys/channels/" + opened.channel)
                    return [UInt8](answer)
                },
                exchangeLimit: Self.sendLimit,
                exchange: { messages in
                    let body = try JSONEncoder().encode(KeysChannelAPI.Exchange(messages: KeysChannelAPI.encode(messages)))
                    let output: KeysChannelAPI.Output = try Self.call(session, "POST", channel.get(), body: body, expect: 200)
                    guard let sealed = KeysChannelAPI.decode(output.messages), let turn = KeysChannelTurn(rawValue: output.turn)
                    else { throw CLIError(description: "the host's keys-channel answer is not what the API defines") }
                    return .init(messages: sealed, turn: turn)
                })
        } catch {
            try? KeysConversation.blocking {
                await session.close()
                await node.stop()
            }
            throw error
        }
        return KeysSessionClient(transport: transport, onClose: {
            // Tell the signer the conversation is over (it would otherwise wait out its idle time), then leave.
            let path = channel.get()
            try? KeysConversation.blocking {
                if !path.isEmpty { _ = try? await session.request(method: "DELETE", target: "manager", path: path, timeout: .seconds(10)) }
                await session.close()
                await node.stop()
            }
        })
    }

    /// One manager-API request through the session; a status other than `expect` is an error with the host's words.
    static func call<T: Decodable>(_ session: RemoteSession, _ method: String, _ path: String, body: Data, expect: Int) throws -> T {
        let bytes = [UInt8](body)
        // An exchange may wait 10 s in the signer for a running command, and more over a slow network.
        let response = try KeysConversation.blocking {
            try await session.request(method: method, target: "manager", path: path, body: bytes, timeout: .seconds(60))
        }
        guard response.status == expect else {
            let message = (try? JSONDecoder().decode(APIError.self, from: Data(response.body)))?.error
                ?? String(decoding: response.body.prefix(300), as: UTF8.self)
            throw CLIError(description: "the host answered HTTP \(response.status): \(message)")
        }
        do { return try JSONDecoder().decode(T.self, from: Data(response.body)) } catch {
            throw CLIError(description: "the host's answer to \(method) \(path) is not the JSON the API defines")
        }
    }

    /// The channel's path, learnt when it opens.
    private final class ChannelPath: @unchecked Sendable {
        private let lock = NSLock()
        private var path = ""
        func set(_ value: String) { lock.withLock { path = value } }
        func get() -> String { lock.withLock { path } }
    }
}

extension RemoteOptions {
    /// The client's store and the paired host named `name` (or the only one).
    func pinnedHost(named name: String?) throws -> (store: RemoteStore, host: RemoteStore.PinnedHost) {
        let store = try RemoteStore(directory: configDirectory)
        let hosts = try store.hosts()
        let chosen = name.map { name in hosts.filter { $0.name == name } } ?? hosts
        guard chosen.count == 1, let pinned = chosen.first else {
            throw CLIError(description: hosts.isEmpty
                ? "no paired host: pair with `nimbus remote invite` first"
                : "\(chosen.count) paired hosts match; choose one with --host NAME (`nimbus remote hosts`)")
        }
        return (store, pinned)
    }
}
