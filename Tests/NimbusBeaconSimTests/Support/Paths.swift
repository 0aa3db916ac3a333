import Foundation

/// Where the tests find the repository, the shared specs and vectors, and the built simulator.
enum Paths {
    /// The repository root (resolving symlinks, so that a scratch package pointing here still finds it).
    static let repository: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `shared/` beside the repository, or `$NIMBUS_SHARED_DIR`.
    static var shared: URL {
        if let override = ProcessInfo.processInfo.environment["NIMBUS_SHARED_DIR"] {
            return URL(fileURLWithPath: override)
        }
        return repository.deletingLastPathComponent().appendingPathComponent("shared")
    }

    static var specs: URL { shared.appendingPathComponent("specs") }
    static var vectors: URL { shared.appendingPathComponent("vectors") }
    static var oracles: URL { repository.appendingPathComponent("Tests/NimbusBeaconSimTests/Oracles") }

    /// The `nimbus-beacon-sim` executable built next to this test binary, or `$NIMBUS_BEACON_SIM`.
    static var simulator: String {
        if let override = ProcessInfo.processInfo.environment["NIMBUS_BEACON_SIM"] { return override }
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // Inside an .xctest bundle on some platforms the binary sits deeper; walk up to the products directory.
        for _ in 0..<4
        where !FileManager.default.fileExists(atPath: directory.appendingPathComponent("nimbus-beacon-sim").path) {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("nimbus-beacon-sim").path
    }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ label: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "beacon-sim-\(label)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
