import ArgumentParser
import Foundation
import NimbusKeysSession

/// `nimbus pair <code>`: pairs the device showing the code. The code goes to the signer on the keys socket (never
/// through the network role, which only carries the public pairing frames); docs/pairing_protocol.md.
struct PairCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pair", abstract: "Pair a device (the GUI, or `nimbus remote`) with the code it shows.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The code the device shows: NNNN-NNNN-NNNN, or its UUID form.")
    var code: String

    @Option(name: .long, help: "The name the device will show for this machine (default: the host name).")
    var name: String?

    @Flag(name: .long, help: "Print the paired device as JSON.")
    var json = false

    func run() async { await reportingErrors(body) }

    private func body() async throws {
        var secret = Array(code.utf8)
        defer { SecretInput.wipe(&secret) }
        let client = try KeysSessionClient.connect(controlSocket: connection.resolvedSocket)
        var request = KeysRequest(.pair)
        request.hostName = name ?? ProcessInfo.processInfo.hostName
        try client.send(request)
        try client.sendSecret(&secret)
        let result = try client.awaitResult(onProgress: { progress in
            if !json { FileHandle.standardError.write(Data("\(progress.phase)…\n".utf8)) }
        })
        let device = try requireDevice(result)
        if json {
            print(JSONOutput.pretty(device))
            return
        }
        print("paired with \"\(device.name)\" (device \(device.id)); revoke with `nimbus devices revoke \(device.id)`")
    }
}

/// `nimbus devices [--json]`, `nimbus devices revoke ID`.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices", abstract: "List paired devices, or revoke one.",
        subcommands: [List.self, Revoke.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List paired devices (the default).")

        @OptionGroup var connection: ConnectionOptions

        @Flag(name: .long, help: "Print the stable JSON form.")
        var json = false

        func run() async { await reportingErrors(body) }

        private func body() async throws {
            let client = try KeysSessionClient.connect(controlSocket: connection.resolvedSocket)
            try client.send(KeysRequest(.devices))
            let devices = try client.awaitResult().devices ?? []
            if json {
                print(JSONOutput.pretty(devices))
                return
            }
            if devices.isEmpty {
                print("no paired devices; pair one with `nimbus pair <code>`")
                return
            }
            for device in devices {
                let state = device.revokedAt.map { "revoked \($0)" } ?? "active"
                print("\(device.id)  \(device.name)  paired \(device.pairedAt)  \(state)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a paired device, effective at once.")

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "The device's id, as `nimbus devices` shows it.")
        var id: Int64

        func run() async { await reportingErrors(body) }

        private func body() async throws {
            let client = try KeysSessionClient.connect(controlSocket: connection.resolvedSocket)
            var request = KeysRequest(.revokeDevice)
            request.deviceID = id
            try client.send(request)
            let device = try requireDevice(try client.awaitResult())
            print("revoked device \(device.id) (\"\(device.name)\")")
        }
    }
}

/// The one device a pair or revoke result names.
func requireDevice(_ result: KeysResult) throws -> DeviceInfo {
    guard let device = result.devices?.first else {
        throw CLIError(description: "the signer's answer named no device")
    }
    return device
}
