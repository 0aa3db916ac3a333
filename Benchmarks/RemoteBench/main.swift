// RemoteBench: the latency of a small REST call through a paired session over Waku (loopback service node), next to
// the same call made directly over HTTP, in the same run. Run by Benchmarks/RemoteBench/remote.sh, which sets up
// the simulated node, the daemon and the pairing.
//
//     RemoteBench --bootstrap MULTIADDR --config-dir DIR --direct http://127.0.0.1:PORT [--count N] [--path P]
//                 [--keys-socket PATH]
//
// With --keys-socket, also a key command (`list`) through a keys channel to the host's signer (docs/keys-channel.md)
// next to the same command on the host's local keys socket.
import Foundation
import NimbusHTTPClient
import NimbusHex
import NimbusKeysSession
import NimbusRemote

struct Options {
    var bootstrap = ""
    var configDir = ""
    var direct = ""
    var count = 200
    var path = "/eth/v1/node/version"
    /// A node (by name) and a path that answer a large body, for the transfer measurement.
    var bigNode: String?
    var bigPath = "/eth/v1/beacon/states/head/validators"
    var bigDirect: String?
    var keysSocket: String?

    init(_ arguments: [String]) {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            let value = rest.popFirst() ?? ""
            switch flag {
            case "--bootstrap": bootstrap = value
            case "--config-dir": configDir = value
            case "--direct": direct = value
            case "--count": count = Int(value) ?? count
            case "--path": path = value
            case "--big-node": bigNode = value
            case "--big-path": bigPath = value
            case "--big-direct": bigDirect = value
            case "--keys-socket": keysSocket = value
            default: fatalError("unknown argument \(flag)")
            }
        }
    }
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let store = try RemoteStore(directory: options.configDir)
guard let host = try store.hosts().first, let hostKey = Hex.decode(host.staticKey) else {
    fatalError("no paired host in \(options.configDir)")
}
let node = try await RemoteNode.start(bootstrap: [options.bootstrap])
let clock = ContinuousClock()
let opened = clock.now
let session = try await RemoteSession.open(node: node, privateKey: try store.privateKey(), hostKey: hostKey, timeout: .seconds(30))
let openTime = milliseconds(clock.now - opened)

var overWaku: [Double] = []
var size = 0
for _ in 0..<options.count {
    let start = clock.now
    let response = try await session.request(method: "GET", target: "node", path: options.path, timeout: .seconds(30))
    overWaku.append(milliseconds(clock.now - start))
    precondition(response.status == 200, "HTTP \(response.status)")
    size = response.body.count
}

var bigThroughWaku: [Double] = []
var bigSize = 0
if let bigNode = options.bigNode {
    for _ in 0..<3 {
        let start = clock.now
        let response = try await session.request(method: "GET", target: "node/\(bigNode)", path: options.bigPath, timeout: .seconds(120))
        bigThroughWaku.append(milliseconds(clock.now - start))
        precondition(response.status == 200, "HTTP \(response.status)")
        bigSize = response.body.count
    }
}

let client = HTTPClient()
var bigDirect: [Double] = []
if let direct = options.bigDirect, let bigURL = URL(string: direct) {
    for _ in 0..<3 {
        let start = clock.now
        let response = try await client.request(.GET, options.bigPath, at: .tcp(host: bigURL.host!, port: bigURL.port!),
                                                timeout: .seconds(60), maximumBody: 64 << 20)
        bigDirect.append(milliseconds(clock.now - start))
        precondition(response.status == 200, "HTTP \(response.status)")
    }
}
let url = URL(string: options.direct)!
var direct: [Double] = []
for _ in 0..<options.count {
    let start = clock.now
    let response = try await client.request(.GET, options.path, at: .tcp(host: url.host!, port: url.port!))
    direct.append(milliseconds(clock.now - start))
    precondition(response.status == 200, "HTTP \(response.status)")
}
client.shutdown()

/// `list`, `rounds` times on `transport`: the milliseconds of each.
func timeList(_ transport: any KeysTransport, rounds: Int) throws -> [Double] {
    var times: [Double] = []
    for _ in 0..<rounds {
        let start = clock.now
        try transport.send(SessionJSON.frame(.request, KeysRequest(.list)))
        let frame = try transport.receive()
        times.append(milliseconds(clock.now - start))
        precondition(frame?.kind == .result, "list did not answer a result")
    }
    return times
}

var channelList: [Double] = []
var localList: [Double] = []
var channelOpenTime = 0.0
if let keysSocket = options.keysSocket {
    guard let signerText = host.signerKey, let signerKey = Hex.decode(signerText) else {
        fatalError("the paired host has no signer key pinned")
    }
    let start = clock.now
    let channel = try RemoteKeysChannel.open(session: session, deviceKey: try store.privateKey(), signerKey: signerKey)
    channelOpenTime = milliseconds(clock.now - start)
    let rounds = min(options.count, 100)
    channelList = try timeList(channel.client, rounds: rounds)
    channel.close()

    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (index, byte) in keysSocket.utf8.enumerated() { raw[index] = byte }
    }
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    precondition(connected == 0, "cannot connect to \(keysSocket)")
    localList = try timeList(SessionSocket(descriptor: descriptor), rounds: rounds)
}
await session.close()
await node.stop()

func line(_ name: String, _ values: [Double]) -> String {
    String(format: "%@: p50 %.2f ms, p99 %.2f ms", name, percentile(values, 0.5), percentile(values, 0.99))
}
print("GET \(options.path) (\(size) bytes), \(options.count) calls each, one session (opened in \(String(format: "%.1f", openTime)) ms)")
print(line("through Waku (session, loopback service node)", overWaku))
print(line("direct HTTP", direct))
print(String(format: "ratio (p50): %.1fx", percentile(overWaku, 0.5) / percentile(direct, 0.5)))
if !bigThroughWaku.isEmpty {
    print(String(format: "GET %@ (%d bytes), 3 transfers: through Waku best %.0f ms (%.1f MB/s), direct HTTP best %.1f ms",
                 options.bigPath, bigSize, bigThroughWaku.min()!, Double(bigSize) / 1e3 / bigThroughWaku.min()!,
                 bigDirect.min() ?? 0))
}
if !channelList.isEmpty {
    print(String(format: "keys list, %d calls each: through a keys channel (opened in %.1f ms) p50 %.2f ms, p99 %.2f ms; "
                 + "local keys socket p50 %.2f ms, p99 %.2f ms; ratio (p50) %.1fx",
                 channelList.count, channelOpenTime, percentile(channelList, 0.5), percentile(channelList, 0.99),
                 percentile(localList, 0.5), percentile(localList, 0.99),
                 percentile(channelList, 0.5) / percentile(localList, 0.5)))
}
