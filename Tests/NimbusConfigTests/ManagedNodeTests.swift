import Foundation
import Testing
@testable import NimbusConfig

@Suite struct ManagedNodeTests {
    @Test func nodesAreReadFromArrayOfTables() throws {
        let config = try NodeManagerConfig(toml: """
            [[nodes]]
            name = "hoodi"
            rest = "http://127.0.0.1:5052"
            metrics = "http://127.0.0.1:8008"
            keymanager = "http://127.0.0.1:5052"
            keymanager_token_file = "/var/lib/nimbus/token"

            [[nodes]]
            name = "mainnet"
            rest = "http://[::1]:5053/"
            data_dir = "/var/lib/nimbus/shared_mainnet_0"
            """, source: "t.toml")
        #expect(config.nodes == [
            ManagedNode(name: "hoodi", rest: "http://127.0.0.1:5052", metrics: "http://127.0.0.1:8008",
                        keymanager: "http://127.0.0.1:5052", keymanagerTokenFile: "/var/lib/nimbus/token"),
            ManagedNode(name: "mainnet", rest: "http://[::1]:5053/", dataDir: "/var/lib/nimbus/shared_mainnet_0"),
        ])
        let settings = try Settings.resolve(config: config, overrides: .init(), isRoot: true, workingDirectory: "/")
        #expect(settings.nodes.count == 2)
    }

    @Test(arguments: [
        ("[[nodes]]\nrest = \"http://127.0.0.1:5052\"", "t.toml: [[nodes]] needs a name"),
        ("[[nodes]]\nname = \"a\"", "t.toml: [[nodes]] \"a\" needs rest (e.g. \"http://127.0.0.1:5052\")"),
        ("[[nodes]]\nname = \"a b\"\nrest = \"http://127.0.0.1:5052\"",
         "t.toml: [[nodes]] name \"a b\" may hold only letters, digits, - _ ."),
        ("[[nodes]]\nname = \"a\"\nrest = \"https://127.0.0.1:5052\"",
         "t.toml: [[nodes]] \"a\": rest must be an http:// URL with a host and port, not \"https://127.0.0.1:5052\""),
        ("[[nodes]]\nname = \"a\"\nrest = \"http://127.0.0.1\"",
         "t.toml: [[nodes]] \"a\": rest must be an http:// URL with a host and port, not \"http://127.0.0.1\""),
        ("[[nodes]]\nname = \"a\"\nrest = \"http://127.0.0.1:5052\"\ntoken = \"x\"", "t.toml: unknown key \"nodes[0].token\""),
        ("[[nodes]]\nname = \"a\"\nrest = \"http://h:1\"\n[[nodes]]\nname = \"a\"\nrest = \"http://h:2\"",
         "t.toml: two [[nodes]] are named \"a\""),
        ("nodes = \"x\"", "t.toml: nodes must be an array of tables ([[nodes]])"),
        ("[[nodes]]\nname = \"a\"\nrest = \"http://h:1\"\ndata_dir = \"/d\"\ndisk_low = \"100 GB\"",
         "t.toml: [[nodes]] \"a\": disk_low must be a size such as \"100 GiB\" or a share such as \"10%\", not \"100 GB\""),
        ("[[nodes]]\nname = \"a\"\nrest = \"http://h:1\"\ndisk_critical = \"3%\"",
         "t.toml: [[nodes]] \"a\": disk_low and disk_critical need data_dir"),
    ])
    func badNodesAreRefusedWithTheReason(toml: String, message: String) {
        #expect(throws: NodeManagerConfig.Invalid(message)) { try NodeManagerConfig(toml: toml, source: "t.toml") }
    }

    @Test func diskLimitsAreReadPassedOnAndCheckedForUnits() throws {
        let config = try NodeManagerConfig(toml: """
            [[nodes]]
            name = "small"
            rest = "http://127.0.0.1:5052"
            data_dir = "/mnt/nimbus"
            disk_low = "6 MiB"
            disk_critical = "2.5%"
            """, source: "t.toml")
        let node = try #require(config.nodes.first)
        #expect(node.diskLow == .bytes(6 << 20) && node.diskCritical == .percent(2.5))
        // The supervisor hands the nodes to the network role as JSON: the limits survive the trip as text.
        let json = try JSONEncoder().encode([node])
        #expect(String(decoding: json, as: UTF8.self).contains(#""disk_low":"6 MiB""#))
        #expect(try JSONDecoder().decode([ManagedNode].self, from: json) == [node])
        #expect(DiskFreeLimit("100GiB") == .bytes(100 << 30))
        #expect(DiskFreeLimit("10 %") == .percent(10))
        for bad in ["", "GiB", "0 GiB", "-1 GiB", "100", "100 gib", "0%", "100%", "1.5 GiB", "99999999999 TiB"] {
            #expect(DiskFreeLimit(bad) == nil, "\(bad)")
        }
    }

    @Test func urlsParse() {
        #expect(HTTPURL("http://127.0.0.1:5052") == HTTPURL(host: "127.0.0.1", port: 5052, basePath: ""))
        #expect(HTTPURL("http://[::1]:8008/prefix/") == HTTPURL(host: "::1", port: 8008, basePath: "/prefix"))
        #expect(HTTPURL("http://host:0") == nil)
        #expect(HTTPURL("http://:80") == nil)
        #expect(HTTPURL("ftp://host:21") == nil)
    }
}
