import Foundation
import NimbusAPI
import NimbusIPC
import NimbusHex

/// The local control API (HTTP/1.1 + JSON on the control socket). Pure: the answers of the other roles are
/// injected, so tests drive routing and composition without sockets.
public struct ControlAPI: Sendable {
    /// How the API reaches the other roles.
    public struct Backends: Sendable {
        public var roleStatus: @Sendable () async throws -> [RoleInfo]
        public var keyStoreStatus: @Sendable () async throws -> KeyStoreStatus
        public var installState: @Sendable () async throws -> InstallState
        public var nodes: @Sendable () async -> NodesReport
        /// The alerts, and the notifications pending for the asking device (`local` for the CLI).
        public var alerts: @Sendable (_ device: String) async throws -> AlertsReport
        /// Acknowledges an alert for the asking device; nil when there is no such alert.
        public var acknowledge: @Sendable (_ id: Int64, _ device: String) async throws -> StoredAlert?
        /// The paired devices, as the network role knows them.
        public var devices: @Sendable () async throws -> [DeviceSummary]
        /// The validator keys the signer holds (public facts only).
        public var keys: @Sendable () async throws -> KeysReport
        public var metrics: @Sendable () async -> String
        public var wakuStatus: @Sendable () async -> WakuStatusReport?
        /// Starts, stops or restarts a node the node manager runs; the node's process afterwards.
        public var controlNode: @Sendable (_ name: String, _ action: NodeControl.Action) async throws -> NodeControlOutcome
        /// `nimbus pair --qr`: starts the 43/WAKU2-DEVICE-PAIRING handshake; then the person's verdict on the code.
        public var wakuPairingStart: @Sendable (WakuPairingStart) async throws -> WakuPairingStarted
        public var wakuPairingConfirm: @Sendable (_ pairing: String, _ same: Bool) async throws -> WakuPairingDone
        /// Keys channels (docs/keys-channel.md): the device's sealed bytes to the signer and back, unread.
        public var keysChannelOpen: @Sendable (_ device: UInt64, _ handshake: [UInt8]) async throws -> KeysChannelOpened
        public var keysChannelExchange: @Sendable (_ channel: KeysChannelRef, _ messages: [[UInt8]]) async throws
            -> KeysChannelOutput
        public var keysChannelClose: @Sendable (_ channel: KeysChannelRef) async throws -> KeysChannelOutput

        public init(
            roleStatus: @escaping @Sendable () async throws -> [RoleInfo],
            keyStoreStatus: @escaping @Sendable () async throws -> KeyStoreStatus,
            installState: @escaping @Sendable () async throws -> InstallState,
            nodes: @escaping @Sendable () async -> NodesReport = { NodesReport(nodes: []) },
            alerts: @escaping @Sendable (String) async throws -> AlertsReport = { _ in AlertsReport(alerts: [], pending: []) },
            acknowledge: @escaping @Sendable (Int64, String) async throws -> StoredAlert? = { _, _ in nil },
            devices: @escaping @Sendable () async throws -> [DeviceSummary] = { [] },
            keys: @escaping @Sendable () async throws -> KeysReport = { KeysReport(keys: []) },
            metrics: @escaping @Sendable () async -> String = { "" },
            wakuStatus: @escaping @Sendable () async -> WakuStatusReport? = { nil },
            controlNode: @escaping @Sendable (String, NodeControl.Action) async throws -> NodeControlOutcome = { name, _ in
                .notLaunched("node \(name) is not run by the node manager")
            },
            wakuPairingStart: @escaping @Sendable (WakuPairingStart) async throws -> WakuPairingStarted = { _ in
                throw Refused(status: 503, message: "Waku device pairing is not available")
            },
            wakuPairingConfirm: @escaping @Sendable (String, Bool) async throws -> WakuPairingDone = { _, _ in
                throw Refused(status: 503, message: "Waku device pairing is not available")
            },
            keysChannelOpen: @escaping @Sendable (UInt64, [UInt8]) async throws -> KeysChannelOpened = { _, _ in
                throw Refused(status: 503, message: "keys channels are not available")
            },
            keysChannelExchange: @escaping @Sendable (KeysChannelRef, [[UInt8]]) async throws -> KeysChannelOutput = { _, _ in
                throw Refused(status: 503, message: "keys channels are not available")
            },
            keysChannelClose: @escaping @Sendable (KeysChannelRef) async throws -> KeysChannelOutput = { _ in
                throw Refused(status: 503, message: "keys channels are not available")
            }
        ) {
            self.roleStatus = roleStatus
            self.keyStoreStatus = keyStoreStatus
            self.installState = installState
            self.nodes = nodes
            self.alerts = alerts
            self.acknowledge = acknowledge
            self.devices = devices
            self.keys = keys
            self.metrics = metrics
            self.wakuStatus = wakuStatus
            self.controlNode = controlNode
            self.wakuPairingStart = wakuPairingStart
            self.wakuPairingConfirm = wakuPairingConfirm
            self.keysChannelOpen = keysChannelOpen
            self.keysChannelExchange = keysChannelExchange
            self.keysChannelClose = keysChannelClose
        }
    }

    /// A backend's refusal with the HTTP status and words to answer with.
    public struct Refused: Error, Sendable, Equatable, CustomStringConvertible {
        public var status: Int
        public var message: String
        public var description: String { message }

        public init(status: Int, message: String) {
            self.status = status
            self.message = message
        }
    }

    /// What a start, stop or restart request came to.
    public enum NodeControlOutcome: Sendable, Equatable {
        case done(NodeProcessReport)
        /// No such node, or one the node manager only watches.
        case notLaunched(String)
    }

    /// An answer: status code and JSON body.
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var body: [UInt8]
        public var contentType: String

        public init(status: Int, body: [UInt8], contentType: String = "application/json") {
            self.status = status
            self.body = body
            self.contentType = contentType
        }
    }

    private let mode: String
    private let backends: Backends

    public init(mode: String, backends: Backends) {
        self.mode = mode
        self.backends = backends
    }

    /// Routes one request. `path` is the request target; a query string is ignored for now.
    /// `device` is who asks: `local` on the control socket, `device-<id>` through a session; it decides whose
    /// outbox `/v1/alerts` shows and acknowledges.
    /// `body` is the request's JSON body (empty for most routes).
    public func handle(method: String, path target: String, device: String = "local", body: [UInt8] = []) async -> Response {
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
        switch path {
        case "/v1/status":
            guard method == "GET" else { return methodNotAllowed(method, path) }
            return await status()
        case "/v1/health":
            guard method == "GET" else { return methodNotAllowed(method, path) }
            return Response(status: 200, body: Array(#"{"ok":true}"#.utf8))
        case "/v1/nodes":
            guard method == "GET" else { return methodNotAllowed(method, path) }
            return Response(status: 200, body: Self.encode(await backends.nodes()))
        case "/v1/alerts":
            guard method == "GET" else { return methodNotAllowed(method, path) }
            do {
                return Response(status: 200, body: Self.encode(try await backends.alerts(device)))
            } catch {
                return self.error(500, "cannot read the alerts: \(error)")
            }
        case "/v1/devices":
            guard method == "GET" else { return methodNotAllowed(method, path) }
            do {
                return Response(status: 200, body: Self.encode(try await backends.devices()))
            } catch {
                return self.error(500, "cannot read the devices: \(error)")
            }
        case "/v1/keys":
            guard method == "GET" else { return methodNotAllowed(method, path) }
            do {
                return Response(status: 200, body: Self.encode(try await backends.keys()))
            } catch {
                return self.error(503, "cannot read the keys: \(error)")
            }
        case "/v1/waku/status":
            guard method == "GET" else { return methodNotAllowed(method, path) }
            guard let status = await backends.wakuStatus() else { return error(503, "the Waku node is not running") }
            return Response(status: 200, body: Self.encode(status))
        case "/v1/metrics":
            guard method == "GET" else { return methodNotAllowed(method, path) }
            return Response(
                status: 200, body: Array(await backends.metrics().utf8), contentType: "text/plain; version=0.0.4")
        default:
            if path.hasPrefix("/v1/alerts/"), path.hasSuffix("/ack") {
                guard method == "POST" else { return methodNotAllowed(method, path) }
                let idText = path.dropFirst("/v1/alerts/".count).dropLast("/ack".count)
                guard let id = Int64(idText), id > 0 else { return error(400, "alert id must be a positive integer") }
                do {
                    guard let alert = try await backends.acknowledge(id, device) else { return error(404, "no alert \(id)") }
                    return Response(status: 200, body: Self.encode(alert))
                } catch {
                    return self.error(500, "cannot acknowledge alert \(id): \(error)")
                }
            }
            if path == "/v1/keys/channels" || path.hasPrefix("/v1/keys/channels/") {
                return await keysChannel(method: method, path: path, device: device, body: body)
            }
            if path == "/v1/pairing/waku" || path.hasPrefix("/v1/pairing/waku/") {
                return await wakuPairing(method: method, path: path, device: device, body: body)
            }
            if path.hasPrefix("/v1/nodes/"), let slash = path.lastIndex(of: "/"), slash > path.index(path.startIndex, offsetBy: 9) {
                let name = String(path[path.index(path.startIndex, offsetBy: 10)..<slash])
                let verb = String(path[path.index(after: slash)...])
                if let action = Self.nodeActions[verb], !name.isEmpty, !name.contains("/") {
                    guard method == "POST" else { return methodNotAllowed(method, path) }
                    do {
                        switch try await backends.controlNode(name, action) {
                        case let .done(process): return Response(status: 200, body: Self.encode(process))
                        case let .notLaunched(why): return error(404, why)
                        }
                    } catch {
                        return self.error(503, "cannot \(verb) node \(name): \(error)")
                    }
                }
            }
            return error(404, "no such endpoint: \(path)")
        }
    }

    /// `POST /v1/pairing/waku` and `POST /v1/pairing/waku/{pairing}/confirm`: only on the local control socket, so
    /// that a paired device cannot pair others without the person at the host.
    private func wakuPairing(method: String, path: String, device: String, body: [UInt8]) async -> Response {
        guard device == "local" else { return error(403, "pairing is only possible on the host itself") }
        guard method == "POST" else { return methodNotAllowed(method, path) }
        do {
            if path == "/v1/pairing/waku" {
                guard let request = try? JSONDecoder().decode(WakuPairingStart.self, from: Data(body)) else {
                    return error(400, "the body must be {\"qr\": ..., \"qr_message_nametag\": ...}")
                }
                return Response(status: 200, body: Self.encode(try await backends.wakuPairingStart(request)))
            }
            let rest = path.dropFirst("/v1/pairing/waku/".count)
            guard rest.hasSuffix("/confirm") else { return error(404, "no such endpoint: \(path)") }
            let pairing = String(rest.dropLast("/confirm".count))
            guard !pairing.isEmpty, !pairing.contains("/"),
                let verdict = try? JSONDecoder().decode(WakuPairingConfirm.self, from: Data(body))
            else { return error(400, "the body must be {\"same\": true|false}") }
            return Response(status: 200, body: Self.encode(try await backends.wakuPairingConfirm(pairing, verdict.same)))
        } catch let refused as Refused {
            return error(refused.status, refused.message)
        } catch {
            return self.error(500, "\(error)")
        }
    }

    /// `POST /v1/keys/channels`, `POST /v1/keys/channels/{channel}`, `DELETE /v1/keys/channels/{channel}`: only
    /// for paired devices (on the host, `nimbus keys` talks to the signer over its own socket). The bytes are
    /// checked for shape here and judged by the signer.
    private func keysChannel(method: String, path: String, device: String, body: [UInt8]) async -> Response {
        guard device.hasPrefix("device-"), let deviceID = UInt64(device.dropFirst("device-".count)) else {
            return error(403, "keys channels are for paired devices; on the host itself use `nimbus keys`")
        }
        do {
            if path == "/v1/keys/channels" {
                guard method == "POST" else { return methodNotAllowed(method, path) }
                guard let request = try? JSONDecoder().decode(KeysChannelAPI.OpenRequest.self, from: Data(body)),
                    let handshake = Data(base64Encoded: request.handshake), handshake.count == KeysChannelLimits.handshakeBytes
                else { return error(400, "the body must be {\"handshake\": base64 of the 48-byte Noise_KK message}") }
                let opened = try await backends.keysChannelOpen(deviceID, [UInt8](handshake))
                return Response(status: 201, body: Self.encode(KeysChannelAPI.Opened(
                    channel: Hex.encode(opened.channel),
                    handshake: Data(opened.handshake).base64EncodedString())))
            }
            let id = String(path.dropFirst("/v1/keys/channels/".count))
            guard id.utf8.count == 2 * KeysChannelLimits.channelIDBytes, let channel = Hex.decode(id) else {
                return error(404, "no such keys channel: the id is 32 hex digits")
            }
            let ref = KeysChannelRef(device: deviceID, channel: channel)
            let output: KeysChannelOutput
            switch method {
            case "POST":
                guard let request = try? JSONDecoder().decode(KeysChannelAPI.Exchange.self, from: Data(body)),
                    let messages = KeysChannelAPI.decode(request.messages)
                else { return error(400, "the body must be {\"messages\": [base64, ...]}") }
                guard messages.allSatisfy({ $0.count <= KeysChannelLimits.messageBytes }),
                    messages.reduce(0, { $0 + $1.count }) <= KeysChannelLimits.exchangeBytes
                else { return error(413, "an exchange carries at most 512 KiB, each message at most 65535 bytes") }
                output = try await backends.keysChannelExchange(ref, messages)
            case "DELETE":
                output = try await backends.keysChannelClose(ref)
            default:
                return methodNotAllowed(method, path)
            }
            let turn = switch output.turn {
            case .waiting: "waiting"
            case .working: "working"
            case .closed: "closed"
            }
            return Response(status: 200, body: Self.encode(KeysChannelAPI.Output(
                messages: KeysChannelAPI.encode(output.messages), turn: turn)))
        } catch let refused as Refused {
            return error(refused.status, refused.message)
        } catch let failure as Failure {
            return error(Self.status(failure.code), failure.message)
        } catch {
            return self.error(503, "the signer did not answer: \(error)")
        }
    }

    /// The HTTP status for a role's typed failure.
    static func status(_ code: Failure.Code) -> Int {
        switch code {
        case .notFound: 404
        case .forbidden: 403
        case .invalid: 400
        case .busy: 409
        case .tooMany: 429
        case .tooLarge: 413
        case .internalError, .storage: 500
        case .unavailable, .peerDown: 503
        }
    }

    private static let nodeActions: [String: NodeControl.Action] = ["start": .start, "stop": .stop, "restart": .restart]

    private func status() async -> Response {
        let roles: [RoleInfo]
        do {
            roles = try await backends.roleStatus()
        } catch {
            return self.error(503, "the supervisor did not answer: \(error)")
        }
        async let signer = Self.capture(backends.keyStoreStatus)
        async let installer = Self.capture(backends.installState)
        let report = StatusReport(mode: mode, roles: roles, signer: await signer, installer: await installer)
        return Response(status: 200, body: Self.encode(report))
    }

    private static func capture<T: Sendable>(_ body: @Sendable () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    private func methodNotAllowed(_ method: String, _ path: String) -> Response {
        error(405, "\(method) is not allowed on \(path)")
    }

    private func error(_ status: Int, _ message: String) -> Response {
        Response(status: status, body: Self.encode(APIError(error: message)))
    }

    /// Compact JSON with sorted keys: byte-stable for equal values.
    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data(#"{"error":"encoding failed"}"#.utf8))
    }
}
