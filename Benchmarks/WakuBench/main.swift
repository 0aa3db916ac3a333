// WakuBench: Waku over the project's libp2p host (TCP, Noise, yamux) on loopback, in one run:
//   1. lightpush → filter round trip through a service node (client and service in this process),
//   2. relay throughput between two service nodes (both in this process),
//   3. the same relay measurement between two py-libp2p 0.8.1 peers (relay_bench.py, both in one process),
//   4. RSS per idle client connection of a service node running as a child process (`WakuBench serve`).
//
// Usage: WakuBench [--seconds S] [--rounds N] [--clients K] [--window W] [--python PATH]
import Foundation
import Logging
import NimbusLibp2p
import NimbusMultiformats
import NimbusWaku

let topic = "/nimbus/1/bench/proto"
// The benchmark should not measure logging: only errors reach stderr.
let quiet: Logger = {
    var logger = Logger(label: "bench")
    logger.logLevel = .error
    return logger
}()

struct Options {
    var seconds = 10.0
    var rounds = 500
    var clients = 50
    // In-flight messages per relay measurement. py-libp2p drops beyond 32 queued per peer, the Swift sender beyond
    // 256: one window below both keeps the comparison lossless and alike.
    var window = 16
    var python: String?

    init(_ arguments: [String]) {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { fatalError("\(flag) needs a value") }
            switch flag {
            case "--seconds": seconds = Double(value)!
            case "--rounds": rounds = Int(value)!
            case "--clients": clients = Int(value)!
            case "--window": window = Int(value)!
            case "--python": python = value
            default: fatalError("unknown option \(flag)")
            }
        }
    }
}

// MARK: Nodes

struct Node {
    let host: Libp2pHost
    let node: WakuNode
    let address: String

    static func start(_ mode: WakuNodeConfiguration.Mode, bootstrap: [String] = []) async throws -> Node {
        let host = Libp2pHost(identity: .generateSecp256k1(), logger: quiet)
        let bound = try await host.listen(on: try Multiaddr("/ip4/127.0.0.1/tcp/0"))
        var configuration = WakuNodeConfiguration()
        configuration.mode = mode
        configuration.bootstrap = bootstrap
        configuration.usePeerExchange = false
        let node = WakuNode(configuration: configuration, transport: Libp2pTransport(host: host), logger: quiet)
        await node.start()
        return Node(host: host, node: node, address: "\(bound)/p2p/\(host.peerID)")
    }

    func stop() async {
        await node.stop()
        await host.shutdown()
    }
}

/// Polls `condition` every 50 ms for up to `seconds`.
func waitFor(_ what: String, seconds: Double = 20, _ condition: () async -> Bool) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while !(await condition()) {
        guard ContinuousClock.now < deadline else { throw BenchError("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(50))
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A payload of `size` bytes that starts with `index`, so each message (and its relay id) is distinct.
func payload(_ index: Int, size: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0x61, count: size)
    withUnsafeBytes(of: UInt32(index).bigEndian) { bytes.replaceSubrange(0..<4, with: $0) }
    return bytes
}

func index(of payload: [UInt8]) -> Int {
    payload.prefix(4).reduce(0) { $0 << 8 | Int($1) }
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

// MARK: 1. Round trip

func roundTrip(rounds: Int) async throws -> [Double] {
    let service = try await Node.start(.service)
    let client = try await Node.start(.client, bootstrap: [service.address])
    let messages = await client.node.subscribe(contentTopics: [topic])
    try await waitFor("the filter subscription") { await !client.node.health().activeFilterPeers.isEmpty }
    var iterator = messages.makeAsyncIterator()
    var samples: [Double] = []
    // The first 20 warm up streams, caches and the allocator; they are not counted.
    for round in 0..<(rounds + 20) {
        let start = ContinuousClock.now
        try await client.node.publish(contentTopic: topic, payload: payload(round, size: 1024))
        guard let message = await iterator.next(), index(of: message.payload) == round else {
            throw BenchError("round trip \(round): wrong or no message")
        }
        if round >= 20 { samples.append(milliseconds(ContinuousClock.now - start)) }
    }
    await client.stop()
    await service.stop()
    return samples.sorted()
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
}

// MARK: 2. Relay throughput

struct Throughput: Codable {
    let size: Int
    let messages: Int
    let seconds: Double
    var perSecond: Double { Double(messages) / seconds }
    var megabytesPerSecond: Double { perSecond * Double(size) / 1_000_000 }
}

/// One publisher, one subscriber; at most `window` messages published and not yet delivered.
func relayThroughput(size: Int, seconds: Double, window: Int) async throws -> Throughput {
    let first = try await Node.start(.service)
    let second = try await Node.start(.service, bootstrap: [first.address])
    let shard = try AutoSharding.theWakuNetwork.shard(forContentTopic: topic).pubsubTopic
    // Publishing before both meshes hold the other would go to fanout or nowhere.
    try await waitFor("the relay mesh") {
        let one = await first.node.health().meshSizes[shard] ?? 0
        let two = await second.node.health().meshSizes[shard] ?? 0
        return one > 0 && two > 0
    }
    var delivered = await second.node.subscribe(contentTopics: [topic]).makeAsyncIterator()
    let start = ContinuousClock.now
    let end = start + .milliseconds(Int(seconds * 1000))
    var sent = 0
    var received = 0
    while ContinuousClock.now < end {
        // Backpressure: the receiver's deliveries pace the sender.
        while sent - received >= window {
            guard let message = await delivered.next() else { throw BenchError("subscription ended") }
            guard index(of: message.payload) == received else { throw BenchError("message \(received) lost") }
            received += 1
        }
        try await first.node.publish(contentTopic: topic, payload: payload(sent, size: size))
        sent += 1
    }
    while received < sent {
        guard await delivered.next() != nil else { throw BenchError("subscription ended") }
        received += 1
    }
    let elapsed = ContinuousClock.now - start
    await second.stop()
    await first.stop()
    return Throughput(size: size, messages: received, seconds: milliseconds(elapsed) / 1000)
}

// MARK: 3. Python relay

struct PythonResult: Codable {
    let results: [Throughput]
}

func pythonThroughput(python: String, script: String, seconds: Double, window: Int) throws -> [Throughput] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script, "--seconds", "\(seconds)", "--window", "\(window)"]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0, let line = String(decoding: data, as: UTF8.self)
        .split(separator: "\n").last(where: { $0.hasPrefix("{") })
    else { throw BenchError("relay_bench.py failed (status \(process.terminationStatus))") }
    return try JSONDecoder().decode(PythonResult.self, from: Data(line.utf8)).results
}

// MARK: 4. Memory per connection

/// `VmRSS` of a process, in KiB.
func residentKiB(pid: Int32) throws -> Int {
    let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
    else { throw BenchError("no VmRSS for \(pid)") }
    return kib
}

/// Reads one line from a pipe (byte by byte: only a handful of lines pass here).
func readLine(_ handle: FileHandle) -> String? {
    var bytes: [UInt8] = []
    while true {
        let byte = handle.readData(ofLength: 1)
        guard let first = byte.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
        if first == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
        bytes.append(first)
    }
}

/// The child side: a service node that prints its address, then answers `PEERS` with its peer count.
func serve() async throws {
    let service = try await Node.start(.service)
    // Unbuffered writes: the parent waits for each line.
    func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    say("LISTEN \(service.address)")
    while let command = readLine(FileHandle.standardInput) {
        if command == "PEERS" { say("PEERS \(await service.node.health().peers.count)") }
    }
    await service.stop()
}

/// RSS of a service node process before and after `count` idle client nodes connect (clients live in this process
/// so that only the service side's cost is measured).
func memoryPerConnection(count: Int) async throws -> (before: Int, after: Int) {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    child.arguments = ["serve"]
    let input = Pipe()
    let output = Pipe()
    child.standardInput = input
    child.standardOutput = output
    try child.run()
    defer { child.terminate() }
    guard let listen = readLine(output.fileHandleForReading), listen.hasPrefix("LISTEN ") else {
        throw BenchError("the service child did not start")
    }
    let address = String(listen.dropFirst("LISTEN ".count))
    func peers() -> Int {
        input.fileHandleForWriting.write(Data("PEERS\n".utf8))
        return readLine(output.fileHandleForReading).flatMap { Int($0.dropFirst("PEERS ".count)) } ?? -1
    }
    // Let the node's periodic work reach a steady state before the baseline.
    try await Task.sleep(for: .seconds(3))
    let before = try residentKiB(pid: child.processIdentifier)
    var clients: [Node] = []
    for _ in 0..<count { clients.append(try await Node.start(.client, bootstrap: [address])) }
    try await waitFor("\(count) connections", seconds: 60) { peers() == count }
    try await Task.sleep(for: .seconds(3))
    let after = try residentKiB(pid: child.processIdentifier)
    for client in clients { await client.stop() }
    return (before, after)
}

// MARK: Main

func run() async throws {
    let options = Options(Array(CommandLine.arguments.dropFirst()))
    // Symlinks resolved, so the paths hold when this file is built through a linked folder.
    let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    let repository = here.deletingLastPathComponent().deletingLastPathComponent()
    let python = options.python ?? ProcessInfo.processInfo.environment["NIMBUS_ORACLE_PYTHON"]
        ?? repository.appendingPathComponent(".venv/bin/python3").path
    let script = here.appendingPathComponent("relay_bench.py").path

    let samples = try await roundTrip(rounds: options.rounds)
    print(String(format: "round trip (lightpush → filter, 1 KiB, N=%d): p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                 samples.count, percentile(samples, 0.5), percentile(samples, 0.99), samples.last!))

    var swift: [Throughput] = []
    for size in [1024, 100 * 1024] {
        swift.append(try await relayThroughput(size: size, seconds: options.seconds, window: options.window))
    }
    let reference = try pythonThroughput(
        python: python, script: script, seconds: options.seconds, window: options.window)
    for (ours, theirs) in zip(swift, reference) {
        print(String(format: "relay %3d KiB: Swift %.0f msg/s %.1f MB/s (%d in %.1f s); "
                     + "py-libp2p %.0f msg/s %.1f MB/s (%d in %.1f s); Swift/Python %.1fx",
                     ours.size / 1024, ours.perSecond, ours.megabytesPerSecond, ours.messages, ours.seconds,
                     theirs.perSecond, theirs.megabytesPerSecond, theirs.messages, theirs.seconds,
                     ours.perSecond / theirs.perSecond))
    }

    let memory = try await memoryPerConnection(count: options.clients)
    print(String(format: "service node RSS: %d KiB before, %d KiB after %d idle clients: %.0f KiB per connection",
                 memory.before, memory.after, options.clients,
                 Double(memory.after - memory.before) / Double(options.clients)))
}

// A stuck exchange should end the run, not hang it.
Task.detached {
    try await Task.sleep(for: .seconds(600))
    FileHandle.standardError.write(Data("WakuBench: gave up after 600 s\n".utf8))
    exit(2)
}
do {
    if CommandLine.arguments.dropFirst().first == "serve" { try await serve() } else { try await run() }
} catch {
    FileHandle.standardError.write(Data("WakuBench: \(error)\n".utf8))
    exit(1)
}
