import Foundation
import NimbusConfig
import Testing

/// `[releases]` and `[monitoring]`: the release source of `version_behind` and the window of `node_restarting`.
@Suite struct MonitoringSettingsTests {
    private func parse(_ text: String) throws(NodeManagerConfig.Invalid) -> NodeManagerConfig {
        try NodeManagerConfig(toml: text, source: "nm.toml")
    }

    private func refusal(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    private func resolve(_ config: NodeManagerConfig, dev: Bool) throws -> MonitoringSettings {
        var overrides = Settings.Overrides()
        overrides.dev = dev
        return try Settings.resolve(config: config, overrides: overrides, isRoot: true, workingDirectory: "/w").monitoring
    }

    @Test func keysAreReadAndResolved() throws {
        let config = try parse("""
            [releases]
            url = "http://127.0.0.1:8080/repos/status-im/nimbus-eth2/releases/latest"
            poll_seconds = 1

            [monitoring]
            restart_window_seconds = 60
            """)
        #expect(config.releasesURL == "http://127.0.0.1:8080/repos/status-im/nimbus-eth2/releases/latest")
        #expect(config.releasesPollSeconds == 1)
        #expect(config.restartWindowSeconds == 60)
        for dev in [false, true] {
            #expect(try resolve(config, dev: dev) == MonitoringSettings(
                releaseURL: "http://127.0.0.1:8080/repos/status-im/nimbus-eth2/releases/latest", releasePollSeconds: 1,
                restartWindowSeconds: 60))
        }
    }

    /// System mode asks GitHub every 6 hours; dev mode asks nobody unless told to, as with Waku's public fleet.
    @Test func defaultsDifferByMode() throws {
        let system = try resolve(NodeManagerConfig(), dev: false)
        #expect(system.releaseURL == "https://api.github.com/repos/status-im/nimbus-eth2/releases/latest")
        #expect(system.releasePollSeconds == 21600)
        #expect(system.restartWindowSeconds == 1800)
        #expect(try resolve(NodeManagerConfig(), dev: true).releaseURL == nil)
        // An empty URL turns tracking off in system mode too.
        #expect(try resolve(try parse("[releases]\nurl = \"\"\n"), dev: false).releaseURL == nil)
    }

    @Test func badValuesAreRefusedByName() {
        #expect(refusal("[releases]\nurl = \"ftp://example.org/x\"\n")
            == #"nm.toml: [releases] url must be an http:// or https:// URL (or "" for none), not "ftp://example.org/x""#)
        for url in ["http://", "http://:80/x", "http://h:0/", "http://h:99999/", "http://h:+80/", "http://u@h/",
                    "https://h/a b", "api.github.com/repos"] {
            #expect(refusal("[releases]\nurl = \"\(url)\"\n")?.contains("[releases] url must be") == true, "\(url)")
        }
        #expect(refusal("[releases]\npoll_seconds = 0\n")
            == "nm.toml: [releases] poll_seconds must be between 1 and 604800, not 0")
        #expect(refusal("[releases]\npoll_seconds = \"6h\"\n") == "nm.toml: releases.poll_seconds must be an integer")
        #expect(refusal("[releases]\ninterval = 5\n") == "nm.toml: unknown key \"releases.interval\"")
        #expect(refusal("[monitoring]\nrestart_window_seconds = 5\n")
            == "nm.toml: [monitoring] restart_window_seconds must be between 10 and 86400, not 5")
        #expect(refusal("[monitoring]\nrestart_window_seconds = 86401\n")?.contains("between 10 and 86400") == true)
        #expect(refusal("[monitoring]\nrestart_window = 60\n") == "nm.toml: unknown key \"monitoring.restart_window\"")
    }

    @Test func urlsSplitForTheClient() throws {
        let github = try #require(WebURL(MonitoringSettings.defaultReleaseURL))
        #expect(github == WebURL(secure: true, host: "api.github.com", port: 443,
                                 target: "/repos/status-im/nimbus-eth2/releases/latest"))
        #expect(WebURL("http://127.0.0.1:8080") == WebURL(secure: false, host: "127.0.0.1", port: 8080, target: "/"))
        #expect(WebURL("http://mirror.lan/releases?per_page=5")
            == WebURL(secure: false, host: "mirror.lan", port: 80, target: "/releases?per_page=5"))
        #expect(WebURL("http://[::1]:9/latest") == WebURL(secure: false, host: "::1", port: 9, target: "/latest"))
    }

    /// The supervisor hands the settings to the network role as JSON.
    @Test func settingsSurviveTheRoleArgument() throws {
        let settings = MonitoringSettings(releaseURL: "http://127.0.0.1:1/x", releasePollSeconds: 2, restartWindowSeconds: 30)
        let decoded = try JSONDecoder().decode(MonitoringSettings.self, from: JSONEncoder().encode(settings))
        #expect(decoded == settings)
    }
}
