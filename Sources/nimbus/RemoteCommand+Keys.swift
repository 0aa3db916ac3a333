import ArgumentParser
import Foundation
import NimbusHex
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

    func open() throws -> KeysSessionClient {
        let (store, pinned) = try remote.pinnedHost(named: host)
        let hostKey = try RemoteOptions.key(of: pinned, store: store)
        guard let signerText = pinned.signerKey, let signerKey = Hex.decode(signerText), signerKey.count == 32 else {
            throw CLIError(description: "\(pinned.name) was paired without its signer's key (`nimbus pair --qr`): pair "
                + "again with a code (`nimbus remote invite`, then `nimbus pair CODE` on the host) to manage keys")
        }
        let deviceKey = try store.privateKey()
        let remote = self.remote
        let (node, session) = try Blocking.wait { () async throws -> (WakuNode, RemoteSession) in
            let node = try await remote.startNode()
            do {
                return (node, try await RemoteSession.open(node: node, privateKey: deviceKey, hostKey: hostKey, timeout: .seconds(30)))
            } catch {
                await node.stop()
                throw error
            }
        }
        let leave: @Sendable () -> Void = {
            _ = try? Blocking.wait {
                await session.close()
                await node.stop()
            }
        }
        let channel: RemoteKeysChannel
        do { channel = try RemoteKeysChannel.open(session: session, deviceKey: deviceKey, signerKey: signerKey) } catch {
            leave()
            throw error
        }
        return KeysSessionClient(transport: channel.client, onClose: {
            channel.close()
            leave()
        })
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
