import NimbusConfig
import Testing

@Suite struct RemoteConfigTests {
    @Test func bootstrapNodesAreRead() throws {
        let config = try RemoteConfig(toml: """
            [waku]
            bootstrap = ["/ip4/192.0.2.1/tcp/60000/p2p/16Uiu2HAmNaeL4p3WEYzC9mgXBmBWSgWjPHRvatZTXnp8Jgv3iKsb"]
            """, source: "config.toml")
        #expect(config.wakuBootstrap == ["/ip4/192.0.2.1/tcp/60000/p2p/16Uiu2HAmNaeL4p3WEYzC9mgXBmBWSgWjPHRvatZTXnp8Jgv3iKsb"])
        #expect(try RemoteConfig(toml: "", source: "config.toml").wakuBootstrap == nil)
    }

    @Test func mistakesNameTheFileAndTheKey() {
        let cases: [(String, String)] = [
            ("[waku]\nbootstrap = \"/ip4/1.2.3.4/tcp/1/p2p/x\"", "config.toml: waku.bootstrap must be an array of strings"),
            ("[waku]\nbootstrap = [1]", "config.toml: waku.bootstrap must be an array of strings"),
            ("[waku]\nbootstrap = [\"node.example:60000\"]",
             "config.toml: [waku] bootstrap entries are multiaddrs ending in /p2p/<peer id>, not \"node.example:60000\""),
            ("[waku]\nlisten = \"0.0.0.0:60000\"", "config.toml: unknown key \"waku.listen\""),
            ("socket = \"/run/x\"", "config.toml: unknown key \"socket\""),
        ]
        for (text, message) in cases {
            #expect(throws: NodeManagerConfig.Invalid.self) { try RemoteConfig(toml: text, source: "config.toml") }
            do { _ = try RemoteConfig(toml: text, source: "config.toml") } catch {
                #expect(error.description == message)
            }
        }
        #expect(throws: NodeManagerConfig.Invalid.self) { try RemoteConfig(toml: "[waku\n", source: "config.toml") }
    }
}
