import Testing
@testable import NimbusMonitoring

/// The release source's answer comes from the network: only a full release with a plain version tag counts.
@Suite struct LatestReleaseTests {
    private func parse(_ json: String) throws(LatestRelease.Refused) -> NimbusVersion {
        try LatestRelease.parse(Array(json.utf8))
    }

    private func refusal(_ json: String) -> String? {
        do {
            let version = try parse(json)
            Issue.record("\(json) gave \(version)")
            return nil
        } catch {
            return error.description
        }
    }

    /// The shape of GitHub's `releases/latest` answer, trimmed (the real one also has assets, author, body...).
    @Test func readsTheTagOfGitHubsLatestRelease() throws {
        let answer = """
            {"url": "https://api.github.com/repos/status-im/nimbus-eth2/releases/1", "id": 1,
             "tag_name": "v25.9.1", "target_commitish": "stable", "name": "v25.9.1", "draft": false,
             "prerelease": false, "created_at": "2025-09-20T10:00:00Z", "published_at": "2025-09-22T10:00:00Z",
             "assets": [{"name": "nimbus-eth2_Linux_amd64_25.9.1_0a1b2c3d.tar.gz", "size": 1}],
             "body": "Nimbus `v25.9.1` is a `low-urgency` release..."}
            """
        #expect(try parse(answer) == NimbusVersion(major: 25, minor: 9, patch: 1))
        // Fields may be missing from a mirror: a tag alone is a release.
        #expect(try parse(#"{"tag_name":"v99.0.0"}"#) == NimbusVersion(major: 99, minor: 0, patch: 0))
        #expect(try parse(#"{"tag_name":"24.9.0","draft":null}"#) == NimbusVersion(major: 24, minor: 9, patch: 0))
    }

    /// The list form: the highest full release, whatever the order; drafts, pre-releases and odd tags skipped.
    @Test func picksTheHighestFullReleaseFromAList() throws {
        let list = """
            [{"tag_name": "nightly", "prerelease": true},
             {"tag_name": "v26.0.0", "draft": true},
             {"tag_name": "v25.10.0-rc1", "prerelease": false},
             {"tag_name": "v25.9.1", "prerelease": false, "draft": false},
             {"tag_name": "v25.10.0", "prerelease": true},
             {"tag_name": "v25.8.0"}]
            """
        #expect(try parse(list) == NimbusVersion(major: 25, minor: 9, patch: 1))
        #expect(refusal("[]")?.contains("no full release") == true)
        #expect(refusal(#"[{"tag_name":"nightly","prerelease":true}]"#)?.contains("no full release") == true)
    }

    @Test func refusesDraftsPreReleasesAndTagsThatAreNotVersions() {
        #expect(refusal(#"{"tag_name":"v26.0.0","draft":true}"#) == #"release "v26.0.0" is a draft"#)
        #expect(refusal(#"{"tag_name":"v26.0.0","prerelease":true}"#) == #"release "v26.0.0" is a pre-release"#)
        #expect(refusal(#"{"tag_name":"nightly"}"#) == #"tag "nightly" is not a release version (vMAJOR.MINOR.PATCH)"#)
        for tag in ["v25.9", "v25.9.1.2", "v25.9.1-rc1", "v+25.9.1", "v-1.0.0", "v25..1", "", "v", "V25.9.1",
                    "v25.9.99999999999999999999", "v２５.9.1"] {
            #expect(refusal(#"{"tag_name":"\#(tag)"}"#)?.hasPrefix("tag ") == true, "\(tag)")
        }
    }

    @Test func refusesAnswersThatAreNotReleases() {
        #expect(refusal(#"{"name":"v25.9.1"}"#) == "the release has no tag_name")
        // GitHub's rate-limit and not-found answers are JSON objects without a tag.
        #expect(refusal(#"{"message":"API rate limit exceeded","documentation_url":"https://docs.github.com"}"#)
            == "the release has no tag_name")
        let notRelease = "the answer is not a release object or a list of releases (JSON with tag_name)"
        for body in ["", "null", "42", "\"v25.9.1\"", #"{"tag_name":25}"#, #"{"tag_name":"v25.9.1","draft":"no"}"#,
                     "<html>502 Bad Gateway</html>", #"{"tag_name":"v25.9.1""#, "[1,2]"] {
            #expect(refusal(body) == notRelease, "\(body)")
        }
        #expect(throws: LatestRelease.Refused.self) { try LatestRelease.parse([0xff, 0xfe, 0x00]) }
    }

    /// A hostile tag cannot put control characters or a novel into a log line.
    @Test func tagsInMessagesAreShortAndPlain() {
        let long = String(repeating: "x", count: 100)
        #expect(refusal(#"{"tag_name":"\#(long)"}"#) == "tag \"\(String(repeating: "x", count: 40))…\" is not a release version (vMAJOR.MINOR.PATCH)")
        #expect(refusal(#"{"tag_name":"a\nb\u001b[31m","prerelease":true}"#) == #"release "a?b??31m" is a pre-release"#)
    }

    @Test func restartWindowsAreSaidInWords() {
        #expect(NodeRules.duration(30 * 60_000) == "30 minutes")
        #expect(NodeRules.duration(60_000) == "minute")
        #expect(NodeRules.duration(45_000) == "45 seconds")
        #expect(NodeRules.duration(90_000) == "90 seconds")
    }
}
