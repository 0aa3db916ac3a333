// swift-tools-version:6.1
// The Nimbus node manager: a privilege-separated daemon (supervisor + network, signer and installer roles)
// and the `nimbus` CLI. The layout mirrors the process model: pure cores per role, an IPC catalogue,
// a sandbox module over small C shims, and thin executables that wire cores to the runtime.
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "nimbus-node-manager",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nimbus-node-manager", targets: ["nimbus-node-manager"]),
        .executable(name: "nimbus-nm-network", targets: ["nimbus-nm-network"]),
        .executable(name: "nimbus-nm-signer", targets: ["nimbus-nm-signer"]),
        .executable(name: "nimbus-nm-installer", targets: ["nimbus-nm-installer"]),
        .executable(name: "nimbus", targets: ["nimbus"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // MARK: C shims (raw syscalls stay here, behind nm_-prefixed functions)
        .target(name: "CNimbusSpawn", path: "Sources/CNimbusSpawn"),
        .target(name: "CNimbusHost", path: "Sources/CNimbusHost"),
        .target(name: "CNimbusSodium", path: "Sources/CNimbusSodium", linkerSettings: [.linkedLibrary("sodium")]),
        .target(name: "CNimbusZlib", path: "Sources/CNimbusZlib", linkerSettings: [.linkedLibrary("z")]),
        .target(name: "CNimbusCurl", path: "Sources/CNimbusCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(
            name: "CNimbusSandbox", path: "Sources/CNimbusSandbox",
            linkerSettings: [.linkedLibrary("seccomp"), .linkedLibrary("cap")]
        ),

        .systemLibrary(
            name: "CNimbusSecp256k1", path: "Sources/CNimbusSecp256k1", providers: [.apt(["libsecp256k1-dev"])]
        ),

        // MARK: Protocol modules (know nothing about the daemon)
        .target(name: "NimbusKeccak", swiftSettings: strict),
        .target(
            name: "NimbusMultiformats",
            dependencies: ["CNimbusSecp256k1", "NimbusKeccak", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "NimbusLibp2p",
            dependencies: [
                "NimbusMultiformats", "NimbusNoise",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "NimbusWaku",
            dependencies: [
                "NimbusMultiformats", "NimbusLibp2p", "NimbusHex",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // Optimised even in debug builds: unoptimised field arithmetic is about 1000 times slower, which would make
        // every test that signs or verifies take minutes.
        .target(
            name: "NimbusBLS", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .target(
            name: "NimbusKeys",
            dependencies: [
                "NimbusBLS", "NimbusKeccak", "NimbusHex",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),

        // Hexadecimal text: one codec for every module.
        .target(name: "NimbusHex", swiftSettings: strict),
        // The Noise framework's symmetric core and Noise_KK: shared by libp2p, device sessions and the signer's
        // channel, with no networking code (the signer links it).
        .target(name: "NimbusNoise", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        .target(
            name: "NimbusSession",
            dependencies: ["NimbusNoise", "NimbusHex", "CNimbusZlib", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "NimbusRemote",
            dependencies: [
                "NimbusSession", "NimbusWaku", "NimbusLibp2p", "NimbusPairing", "NimbusHex", "NimbusAPI", "NimbusKeysChannel",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "NimbusPairing",
            dependencies: ["CNimbusSodium", "NimbusKeys", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // 43/WAKU2-DEVICE-PAIRING (the GUI's js-waku pairing): QR, PayloadV2, the WakuPairing Noise handshake.
        .target(
            name: "NimbusWakuPairing", dependencies: ["NimbusHex", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),

        // MARK: Development and test tools (not packaged)
        .target(
            name: "NimbusBeaconSim",
            dependencies: [
                "NimbusKeys", "NimbusBLS", "NimbusMultiformats",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "nimbus-beacon-sim", dependencies: ["NimbusBeaconSim"], swiftSettings: strict),
        .executableTarget(
            name: "BLSBench", dependencies: ["NimbusBLS"], path: "Benchmarks/BLSBench", exclude: ["reference.py"]
        ),
        .executableTarget(
            name: "keys-bench", dependencies: ["NimbusKeys", "NimbusBLS"], path: "Benchmarks/KeysBench",
            exclude: ["reference.py"], swiftSettings: strict
        ),
        .executableTarget(
            name: "WakuBench",
            dependencies: [
                "NimbusWaku", "NimbusLibp2p", "NimbusMultiformats", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/WakuBench", exclude: ["relay_bench.py"]
        ),

        .executableTarget(
            name: "RemoteBench",
            dependencies: ["NimbusRemote", "NimbusHTTPClient", "NimbusHex", "NimbusKeysSession"], path: "Benchmarks/RemoteBench",
            exclude: ["remote.sh"]
        ),

        // MARK: Pure modules (no syscalls, no clock, no sockets)
        .target(name: "NimbusIPC", swiftSettings: strict),
        .target(name: "NimbusSupervisorCore", dependencies: ["NimbusIPC"], swiftSettings: strict),
        .target(name: "NimbusSignerCore", dependencies: ["NimbusIPC"], swiftSettings: strict),
        .target(name: "NimbusInstallerCore", dependencies: ["NimbusIPC", "NimbusConfig"], swiftSettings: strict),
        .target(name: "NimbusNetworkCore", dependencies: ["NimbusIPC", "NimbusAPI", "NimbusHex"], swiftSettings: strict),
        .target(name: "NimbusAPI", dependencies: ["NimbusIPC", "NimbusHex"], swiftSettings: strict),
        .target(name: "NimbusConfig", dependencies: ["TOMLKit"], swiftSettings: strict),
        .target(name: "NimbusMonitoring", swiftSettings: strict),
        .target(name: "NimbusSecureMemory", dependencies: ["CNimbusSodium", "NimbusKeys"], swiftSettings: strict),

        // MARK: Edges (syscalls, files, threads)
        // The `nimbus keys` session: frames and messages (pure) and a blocking socket transport; shared by the CLI
        // and the signer, so it depends on nothing.
        .target(name: "NimbusKeysSession", swiftSettings: strict),
        // The signer's key commands: run on the session socket, with worker threads for the KDFs.
        .target(
            name: "NimbusSignerKeys", dependencies: ["NimbusKeys", "NimbusKeysSession", "NimbusKeysChannel", "NimbusPairing"],
            swiftSettings: strict),
        // Keys channels: a paired device's `nimbus keys` conversation with the signer, end to end (Noise_KK).
        .target(name: "NimbusKeysChannel", dependencies: ["NimbusNoise", "NimbusKeysSession"], swiftSettings: strict),
        .target(name: "NimbusSandbox", dependencies: ["CNimbusSandbox"], swiftSettings: strict),
        .target(
            name: "NimbusRuntime",
            dependencies: ["NimbusIPC", "CNimbusSpawn", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "NimbusStore",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .target(
            name: "NimbusRoleHost",
            dependencies: [
                "NimbusIPC", "NimbusRuntime", "NimbusSandbox", "NimbusStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "NimbusHTTPClient",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "NimbusMonitorService",
            dependencies: [
                "NimbusMonitoring", "NimbusConfig", "NimbusHTTPClient", "NimbusStore", "CNimbusHost", "NimbusAPI", "NimbusIPC",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "NimbusControlServer",
            dependencies: [
                "NimbusAPI", "NimbusRuntime",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),

        // MARK: Executables (thin: wire a core to the runtime)
        .executableTarget(
            name: "nimbus-node-manager",
            dependencies: [
                "NimbusSupervisorCore", "NimbusRuntime", "NimbusSandbox", "NimbusConfig", "NimbusAPI", "CNimbusSpawn",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "nimbus-nm-network",
            dependencies: [
                "NimbusNetworkCore", "NimbusRoleHost", "NimbusControlServer", "NimbusMonitorService", "NimbusConfig",
                "NimbusHTTPClient", "NimbusAPI", "NimbusWaku", "NimbusLibp2p", "NimbusMultiformats", "NimbusSession",
                "NimbusWakuPairing", "NimbusHex",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "nimbus-nm-signer",
            dependencies: [
                "NimbusSignerCore", "NimbusSignerKeys", "NimbusKeysSession", "NimbusKeysChannel", "NimbusKeys", "NimbusRoleHost", "NimbusIPC",
                "NimbusSecureMemory", "NimbusSandbox", "NimbusStore", "NimbusRuntime",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "nimbus-nm-installer",
            dependencies: [
                "NimbusInstallerCore", "NimbusRoleHost", "NimbusConfig", "NimbusRuntime", "NimbusStore", "NimbusIPC",
                "CNimbusCurl", "NimbusAPI",
                .product(name: "Logging", package: "swift-log"), .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "nimbus",
            dependencies: [
                "NimbusAPI", "NimbusHTTPClient", "NimbusKeysSession", "CNimbusSpawn", "NimbusPairing", "NimbusWaku", "NimbusRuntime",
                "NimbusLibp2p", "NimbusSession", "NimbusRemote", "NimbusWakuPairing", "NimbusHex",
                "NimbusConfig",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        // MARK: Tests
        // What many test targets share: the repository's location and the Python that runs the reference
        // implementations.
        .target(name: "NimbusTestSupport", path: "Tests/Support/NimbusTestSupport", swiftSettings: strict),
        .testTarget(name: "NimbusIPCTests", dependencies: ["NimbusIPC"]),
        .testTarget(name: "NimbusSupervisorCoreTests", dependencies: ["NimbusSupervisorCore"]),
        .testTarget(name: "NimbusInstallerCoreTests", dependencies: ["NimbusInstallerCore", "NimbusConfig", "NimbusIPC"]),
        .testTarget(name: "NimbusConfigTests", dependencies: ["NimbusConfig"]),
        .testTarget(name: "NimbusStoreTests", dependencies: ["NimbusStore"]),
        .testTarget(name: "NimbusRuntimeTests", dependencies: ["NimbusRuntime", "NimbusIPC"]),
        .testTarget(name: "NimbusSandboxTests", dependencies: ["NimbusSandbox", "CNimbusSandbox"]),
        .testTarget(name: "NimbusAPITests", dependencies: ["NimbusAPI"]),
        .testTarget(name: "NimbusMonitoringTests", dependencies: ["NimbusMonitoring"]),
        .testTarget(name: "NimbusSecureMemoryTests", dependencies: ["NimbusSecureMemory", "NimbusKeys"]),
        .testTarget(name: "NimbusMultiformatsTests", dependencies: ["NimbusMultiformats", "NimbusKeccak", "NimbusHex"]),
        .testTarget(
            name: "NimbusBLSTests",
            dependencies: ["NimbusTestSupport", "NimbusBLS", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Oracles"]
        ),
        .testTarget(
            name: "NimbusKeysTests",
            dependencies: [
                "NimbusTestSupport",
                "NimbusKeys", "NimbusBLS", "NimbusKeccak",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            exclude: ["Oracles"]
        ),
        .testTarget(
            name: "NimbusBeaconSimTests", dependencies: ["NimbusTestSupport", "NimbusBeaconSim", "nimbus-beacon-sim"], exclude: ["Oracles"]
        ),
        .testTarget(
            name: "NimbusLibp2pTests",
            dependencies: [
                "NimbusTestSupport",
                "NimbusLibp2p", "NimbusMultiformats",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Interop"]
        ),
        .testTarget(
            name: "NimbusWakuTests",
            dependencies: [
                "NimbusTestSupport",
                "NimbusWaku", "NimbusMultiformats", "NimbusLibp2p",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Interop"]
        ),
        .testTarget(name: "NimbusSessionTests", dependencies: ["NimbusSession", "NimbusNoise", "NimbusLibp2p"]),
        .testTarget(
            name: "NimbusPairingTests", dependencies: ["NimbusTestSupport", "NimbusPairing", "NimbusKeys"],
            exclude: ["Oracles", "PairingVectors.json"]),
        .testTarget(
            name: "NimbusWakuPairingTests",
            dependencies: ["NimbusTestSupport", "NimbusWakuPairing", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Oracles", "WakuPairingVectors.json"]
        ),
        .testTarget(name: "NimbusKeysSessionTests", dependencies: ["NimbusKeysSession"]),
        .testTarget(
            name: "NimbusSignerKeysTests",
            dependencies: [
                "NimbusTestSupport",
                "NimbusSignerKeys", "NimbusKeysSession", "NimbusKeysChannel", "NimbusKeys", "NimbusPairing",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Oracles", "KeysChannelVectors.json"]
        ),
        .testTarget(
            name: "NimbusNetworkCoreTests",
            dependencies: ["NimbusTestSupport", "NimbusNetworkCore", "NimbusAPI", "NimbusIPC"]),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "NimbusTestSupport",
                "NimbusAPI", "NimbusHTTPClient", "NimbusBeaconSim", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Oracles"]
        ),
    ]
)
