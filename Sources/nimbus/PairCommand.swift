import ArgumentParser
import Foundation
import NimbusAPI
import NimbusKeysSession

/// `nimbus pair <code>`: pairs the device showing the code. The code goes to the signer on the keys socket (never
/// through the network role, which only carries the public pairing frames); docs/pairing_protocol.md.
struct PairCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pair", abstract: "Pair a device (the GUI, or `nimbus remote`) with the code it shows.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The code the device shows: NNNN-NNNN-NNNN, or its UUID form; - to type it (not echoed) or pipe it on stdin, where other local users cannot see it in the process list.")
    var code: String?

    @Option(name: .long, help: "The name the device will show for this machine (default: the host name).")
    var name: String?

    @Option(name: .long, help: "43/WAKU2-DEVICE-PAIRING (@waku/noise): the QR code's text the device shows.")
    var qr: String?

    @Option(name: .customLong("qr-message-nametag"), help: "With --qr: the 16-byte message nametag shown beside it, hex.")
    var qrMessageNametag: String?

    @Option(name: .customLong("auth-code"), help: "With --qr: the 8-digit code the device shows, instead of typing it when asked.")
    var authCode: String?

    @Option(name: .customLong("device-name"), help: "With --qr: the name to list the device under (default: its application name).")
    var deviceName: String?

    @Flag(name: .long, help: "Print the paired device as JSON.")
    var json = false

    func validate() throws {
        switch (code, qr) {
        case (nil, nil): throw ValidationError("give the code the device shows, or --qr and --qr-message-nametag")
        case (_?, _?): throw ValidationError("give either a code or --qr, not both")
        case (nil, _?) where qrMessageNametag == nil: throw ValidationError("--qr needs --qr-message-nametag")
        default: break
        }
        if code != nil, qrMessageNametag != nil || authCode != nil || deviceName != nil {
            throw ValidationError("--qr-message-nametag, --auth-code and --device-name go with --qr")
        }
    }

    func run() async { await reportingErrors(body) }

    private func body() async throws {
        if let qr, let qrMessageNametag {
            try await pairByQR(qr, nametag: qrMessageNametag)
            return
        }
        var secret = code == "-" ? try SecretInput.prompt("Code the device shows: ", echo: false) : Array((code ?? "").utf8)
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

    /// The 43/WAKU2-DEVICE-PAIRING flow (docs/waku_device_pairing.md): the network role runs the handshake with its
    /// session key; the person compares the 8-digit codes before anything is pinned.
    private func pairByQR(_ qr: String, nametag: String) async throws {
        let control = ControlClient(socketPath: connection.resolvedSocket)
        let start = WakuPairingStart(qr: qr, qrMessageNametag: nametag, name: deviceName)
        let started: WakuPairingStarted = try await control.getJSON(
            "/v1/pairing/waku", method: "POST", body: Array(try JSONEncoder().encode(start)))
        let shown = "\(started.authCode.prefix(4)) \(started.authCode.dropFirst(4))"
        let typed: String
        if let authCode {
            typed = authCode
        } else {
            FileHandle.standardError.write(Data("""
                This host shows the code  \(shown)
                Type the code the device shows (Enter alone cancels): 
                """.utf8))
            typed = readLine() ?? ""
        }
        let same = typed.filter(\.isNumber) == started.authCode
        let verdict = Array(try JSONEncoder().encode(WakuPairingConfirm(same: same)))
        if !same {
            _ = try? await control.request("POST", "/v1/pairing/waku/\(started.pairing)/confirm", body: verdict)
            throw CLIError(description: "the codes differ: pairing cancelled, nothing was pinned")
        }
        let done: WakuPairingDone = try await control.getJSON(
            "/v1/pairing/waku/\(started.pairing)/confirm", method: "POST", body: verdict, timeout: .seconds(150))
        // The signer records the device a moment later; its id is what `nimbus devices revoke` takes.
        var device: DeviceInfo?
        for _ in 0..<40 where device == nil {
            let client = try KeysSessionClient.connect(controlSocket: connection.resolvedSocket)
            try client.send(KeysRequest(.devices))
            device = (try client.awaitResult().devices ?? []).last { $0.staticKey == done.staticKey && $0.revokedAt == nil }
            if device == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard let device else { throw CLIError(description: "paired, but the signer has not recorded the device") }
        if json {
            print(JSONOutput.pretty(device))
            return
        }
        print("paired with \"\(device.name)\" (device \(device.id), waku-noise); revoke with `nimbus devices revoke \(device.id)`")
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
