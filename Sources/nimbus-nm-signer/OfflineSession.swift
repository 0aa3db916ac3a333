import Foundation
import NimbusKeys
import NimbusKeysSession
import NimbusSandbox
import NimbusSecureMemory
import NimbusSignerKeys
import NimbusStore

/// `nimbus keys --offline`: the CLI starts this executable as a child of its own, with one end of a socketpair at
/// descriptor 3, in a new network namespace (no interfaces) where the kernel allows one. It runs the same key
/// commands as the signer role, sandboxed the same way (no_new_privs, Landlock to its state directory, the signer's
/// seccomp policy: no socket, connect or execve), on a key store in a directory the CLI names, and exits when the
/// CLI closes the session.
///
///     nimbus-nm-signer --offline-session --state-dir DIR --policy FILE [--withdrawal-address ADDR]
enum OfflineSession {
    static let sessionDescriptor: Int32 = 3

    static func run(_ arguments: [String]) -> Never {
        var values: [String: String] = [:]
        var index = 0
        while index + 1 < arguments.count {
            values[arguments[index]] = arguments[index + 1]
            index += 2
        }
        guard index == arguments.count, let stateDir = values["--state-dir"], let policyPath = values["--policy"],
            Set(values.keys).isSubset(of: ["--state-dir", "--policy", "--withdrawal-address"])
        else {
            fail("usage: nimbus-nm-signer --offline-session --state-dir DIR --policy FILE [--withdrawal-address ADDR]")
        }
        var policy = SignerKeyPolicy()
        if let address = values["--withdrawal-address"] {
            do { policy.withdrawalAddress = try ExecutionAddress(parsing: address) } catch {
                fail("--withdrawal-address: \(error)")
            }
        }
        guard let policyText = try? String(contentsOfFile: policyPath, encoding: .utf8) else {
            fail("cannot read the seccomp policy \(policyPath)")
        }
        var profile = SandboxProfile(
            roleName: "offline signer", dumpable: false, policyPath: policyPath,
            landlock: LandlockRules(readOnly: ["/proc"], readWrite: [stateDir]))
        profile.policyText = policyText
        let database: RoleDatabase
        var report: SandboxReport
        do {
            report = try Sandbox.dropPrivileges(profile)
            try Sandbox.confineFilesystem(profile, report: &report)
            SecretBytes.defaultAllocator = SodiumSecretAllocator()
            database = try RoleDatabase(directory: stateDir, file: "signer.sqlite", migrations: RoleSchema.signer)
            try Sandbox.restrict(profile, report: &report)
        } catch {
            fail("\(error)")
        }
        if !report.allInForce {
            // The person chose an offline signer for safety: say plainly what does not hold on this machine.
            let missing = report.stepsNotInForce.map { "\($0.name) (\($0.detail))" }.joined(separator: "; ")
            FileHandle.standardError.write(Data("offline signer: not in force: \(missing)\n".utf8))
        }
        // No relay: pairing needs the network role. Devices paired through the daemon are not in this key store.
        let service = KeysSessionService(
            vault: DatabaseKeyVault(database: database), policy: policy, devices: DatabaseDeviceRegistry(database: database))
        service.serve(SessionSocket(descriptor: sessionDescriptor)) { _ in }
        try? database.close()
        exit(0)
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("nimbus-nm-signer: \(message)\n".utf8))
        exit(64)
    }
}
