import Foundation
import NimbusAPI
import NimbusIPC
import NimbusTestSupport
import Synchronization
import Testing
@testable import NimbusNetworkCore

/// The keys-channel routes (docs/keys-channel.md): only paired devices, only the documented bodies, the signer's
/// refusals mapped to their statuses, and the bytes passed through unread.
@Suite struct KeysChannelRouteTests {
    final class Seen: Sendable {
        let value = Mutex<[String]>([])
        func add(_ entry: String) { value.withLock { $0.append(entry) } }
        var all: [String] { value.withLock { $0 } }
    }

    static let channelHex = String(repeating: "ab", count: 16)
    static let channel = [UInt8](repeating: 0xAB, count: 16)

    func api(_ seen: Seen, failure: Failure? = nil) -> ControlAPI {
        ControlAPI(mode: "dev", backends: .init(
            roleStatus: { [] }, keyStoreStatus: { KeyStoreStatus(keystoreCount: 0, schemaVersion: 5) },
            installState: { InstallState(phase: .idle, activeVersion: "", installedVersions: [], schemaVersion: 1) },
            keysChannelOpen: { device, handshake in
                seen.add("open \(device) \(handshake.count)")
                if let failure { throw failure }
                return KeysChannelOpened(channel: Self.channel, handshake: [UInt8](repeating: 7, count: 48))
            },
            keysChannelExchange: { ref, messages in
                seen.add("exchange \(ref.device) \(ref.channel == Self.channel) \(messages)")
                if let failure { throw failure }
                return KeysChannelOutput(turn: .waiting, messages: [[9, 9]])
            },
            keysChannelClose: { ref in
                seen.add("close \(ref.device)")
                if let failure { throw failure }
                return KeysChannelOutput(turn: .closed, messages: [])
            }))
    }

    static func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func aDeviceOpensExchangesAndClosesWithTheBytesPassedThrough() async throws {
        let seen = Seen()
        let api = api(seen)
        let handshake = Data(repeating: 1, count: 48).base64EncodedString()
        let opened = await api.handle(method: "POST", path: "/v1/keys/channels", device: "device-4",
                                      body: Self.json(#"{"handshake":"\#(handshake)"}"#))
        #expect(opened.status == 201)
        let body = try JSONDecoder().decode(KeysChannelAPI.Opened.self, from: Data(opened.body))
        #expect(body.channel == Self.channelHex)
        #expect(Data(base64Encoded: body.handshake) == Data(repeating: 7, count: 48))

        let exchanged = await api.handle(method: "POST", path: "/v1/keys/channels/\(Self.channelHex)", device: "device-4",
                                         body: Self.json(#"{"messages":["AQI=",""]}"#))
        #expect(exchanged.status == 200)
        let output = try JSONDecoder().decode(KeysChannelAPI.Output.self, from: Data(exchanged.body))
        #expect(output.turn == "waiting" && output.messages == ["CQk="])

        let closed = await api.handle(method: "DELETE", path: "/v1/keys/channels/\(Self.channelHex)", device: "device-4")
        #expect(closed.status == 200)
        #expect(try JSONDecoder().decode(KeysChannelAPI.Output.self, from: Data(closed.body)).turn == "closed")
        #expect(seen.all == ["open 4 48", "exchange 4 true [[1, 2], []]", "close 4"])
    }

    @Test func otherCallersMalformedBodiesAndOversizeExchangesAreRefusedBeforeTheSigner() async throws {
        let seen = Seen()
        let api = api(seen)
        let good = Self.json(#"{"handshake":"\#(Data(repeating: 1, count: 48).base64EncodedString())"}"#)
        let path = "/v1/keys/channels/\(Self.channelHex)"
        let cases: [(String, String, String, [UInt8], Int)] = [
            ("POST", "/v1/keys/channels", "local", good, 403),
            ("POST", "/v1/keys/channels", "device-x", good, 403),
            ("GET", "/v1/keys/channels", "device-4", [], 405),
            ("POST", "/v1/keys/channels", "device-4", Self.json(#"{"handshake":"AQID"}"#), 400),
            ("POST", "/v1/keys/channels", "device-4", Self.json(#"{"handshake":"not base64!"}"#), 400),
            ("POST", "/v1/keys/channels", "device-4", Self.json("[]"), 400),
            ("POST", "/v1/keys/channels", "device-4", [0xFF, 0xFE], 400),
            ("POST", "/v1/keys/channels/abc", "device-4", Self.json(#"{"messages":[]}"#), 404),
            ("POST", "/v1/keys/channels/" + String(repeating: "zz", count: 16), "device-4", Self.json(#"{"messages":[]}"#), 404),
            ("POST", path, "device-4", Self.json(#"{"messages":"AQI="}"#), 400),
            ("POST", path, "device-4", Self.json(#"{"messages":["***"]}"#), 400),
            ("POST", path, "device-4", Self.json(#"{"messages":["\#(Data(count: 65536).base64EncodedString())"]}"#), 413),
            ("PUT", path, "device-4", [], 405),
        ]
        for (method, route, device, body, status) in cases {
            let response = await api.handle(method: method, path: route, device: device, body: body)
            #expect(response.status == status, "\(method) \(route) as \(device): \(String(decoding: response.body, as: UTF8.self))")
            #expect((try? JSONDecoder().decode(APIError.self, from: Data(response.body))) != nil)
        }
        let nine = (0..<9).map { _ in "\"" + Data(count: 65535).base64EncodedString() + "\"" }.joined(separator: ",")
        let oversize = await api.handle(method: "POST", path: path, device: "device-4", body: Self.json(#"{"messages":[\#(nine)]}"#))
        #expect(oversize.status == 413)
        #expect(seen.all.isEmpty)
    }

    @Test func theSignersRefusalsBecomeTheirStatusesWithItsWords() async throws {
        let path = "/v1/keys/channels/\(Self.channelHex)"
        let expectations: [(Failure.Code, Int)] = [
            (.notFound, 404), (.forbidden, 403), (.invalid, 400), (.busy, 409), (.tooMany, 429), (.tooLarge, 413),
            (.unavailable, 503), (.peerDown, 503), (.internalError, 500),
        ]
        for (code, status) in expectations {
            let api = api(Seen(), failure: Failure(code: code, message: "the signer says \(code)"))
            let response = await api.handle(method: "POST", path: path, device: "device-4", body: Self.json(#"{"messages":[]}"#))
            #expect(response.status == status)
            #expect(try JSONDecoder().decode(APIError.self, from: Data(response.body)).error == "the signer says \(code)")
        }
    }

    /// Every answer of these routes, success and refusal, is what docs/api/manager.yaml describes (checked by the
    /// independent validator of the other API tests).
    @Test func answersMatchTheOpenAPIDescription() async throws {
        let path = "/v1/keys/channels/\(Self.channelHex)"
        let handshake = Self.json(#"{"handshake":"\#(Data(repeating: 1, count: 48).base64EncodedString())"}"#)
        let exchange = Self.json(#"{"messages":["AQI="]}"#)
        var exchanges: [(method: String, path: String, status: Int, body: [UInt8])] = []
        func record(_ api: ControlAPI, _ method: String, _ route: String, _ body: [UInt8], device: String = "device-4") async {
            let response = await api.handle(method: method, path: route, device: device, body: body)
            exchanges.append((method, route, response.status, response.body))
        }
        let good = api(Seen())
        await record(good, "POST", "/v1/keys/channels", handshake)
        await record(good, "POST", path, exchange)
        await record(good, "DELETE", path, [])
        await record(good, "POST", "/v1/keys/channels", handshake, device: "local")
        await record(good, "POST", "/v1/keys/channels", Self.json("{}"))
        await record(good, "POST", path, Self.json(#"{"messages":["\#(Data(count: 65536).base64EncodedString())"]}"#))
        for code in [Failure.Code.notFound, .busy, .tooMany, .invalid, .forbidden] {
            let refusing = api(Seen(), failure: Failure(code: code, message: "refused"))
            await record(refusing, "POST", code == .tooMany ? "/v1/keys/channels" : path,
                         code == .tooMany ? handshake : exchange)
        }
        #expect(Set(exchanges.map(\.status)) == [201, 200, 403, 400, 413, 404, 409, 429])
        for (exchange, verdict) in zip(exchanges, try OraclePython.managerSpecVerdicts(exchanges)) {
            #expect(verdict == nil, "\(exchange.method) \(exchange.path) \(exchange.status): \(verdict ?? "")")
        }
    }
}
