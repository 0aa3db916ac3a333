import Testing
@testable import NimbusMonitoring

@Suite struct PrometheusTextTests {
    static let nimbusLike = """
        # HELP beacon_slot Latest slot of the beacon chain state
        # TYPE beacon_slot gauge
        beacon_slot 9876543
        # HELP next_action_wait Seconds until the next attestation will be sent
        # TYPE next_action_wait gauge
        next_action_wait 274.5
        next_proposal_wait +Inf
        nbc_peers 87.0
        version{version="v24.9.0-f54a03-stateofus",commit="f54a03"} 1.0
        validator_monitor_prev_epoch_on_chain_attester_hit{validator="0xa1b2"} 1.0 1700000000000
        validator_monitor_prev_epoch_on_chain_attester_miss{validator="0xa1b2"} 0.0
        engine_api_responses_total{url="http://127.0.0.1:8551",request="forkchoiceUpdated",status="200"} 42
        odd_label{text="quote \\" backslash \\\\ newline \\n end"} NaN

        """

    @Test func parsesNimbusStyleExposition() throws {
        let text = try PrometheusText(parsing: Self.nimbusLike)
        #expect(text.value("beacon_slot") == 9_876_543)
        #expect(text.value("next_action_wait") == 274.5)
        #expect(text.value("next_proposal_wait") == .infinity)
        #expect(text.value("version", labels: ["commit": "f54a03"]) == 1)
        #expect(text.all("validator_monitor_prev_epoch_on_chain_attester_hit").first?.timestamp == 1_700_000_000_000)
        #expect(text.types["beacon_slot"] == "gauge")
        #expect(text.all("odd_label").first?.labels["text"] == "quote \" backslash \\ newline \n end")
        #expect(text.value("odd_label")?.isNaN == true)
        #expect(text.value("engine_api_responses_total", labels: ["status": "200"]) == 42)
    }

    @Test(arguments: [
        ("1bad_name 1", "metrics line 1: invalid metric name"),
        ("metric", "metrics line 1: expected a value and an optional timestamp after metric"),
        ("metric abc", "metrics line 1: invalid value for metric"),
        ("metric 0x10", "metrics line 1: invalid value for metric"),
        ("metric inf", "metrics line 1: invalid value for metric"),
        ("metric 1 2 3", "metrics line 1: expected a value and an optional timestamp after metric"),
        ("metric 1 1.5", "metrics line 1: invalid timestamp"),
        ("metric{a=\"1\" 1", "metrics line 1: expected ',' or '}' after a label"),
        ("metric{a=1} 1", "metrics line 1: label value must be quoted"),
        ("metric{a=\"1} 1", "metrics line 1: unterminated label value"),
        ("metric{a=\"\\x\"} 1", "metrics line 1: invalid escape in a label value"),
        ("metric{a=\"1\",a=\"2\"} 1", "metrics line 1: label a repeated"),
        ("metric{9a=\"1\"} 1", "metrics line 1: invalid label name"),
        ("metric{a} 1", "metrics line 1: label without '='"),
        ("ok 1\n# TYPE x wobbly", "metrics line 2: unknown metric type wobbly"),
        ("# TYPE 9x gauge", "metrics line 1: invalid metric name in TYPE"),
    ])
    func malformedLinesAreRefusedWithTheirLineNumber(input: String, message: String) {
        #expect(throws: PrometheusText.ParseError.self) { try PrometheusText(parsing: input) }
        do {
            _ = try PrometheusText(parsing: input)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func limitsAreEnforced() {
        var limits = PrometheusText.Limits()
        limits.maximumSamples = 2
        #expect(throws: PrometheusText.ParseError(line: 3, reason: "more than 2 samples")) {
            try PrometheusText(parsing: "a 1\nb 2\nc 3", limits: limits)
        }
        limits = PrometheusText.Limits()
        limits.maximumLineLength = 10
        #expect(throws: PrometheusText.ParseError(line: 1, reason: "line longer than 10 bytes")) {
            try PrometheusText(parsing: "a_long_metric_name 1", limits: limits)
        }
        limits = PrometheusText.Limits()
        limits.maximumBytes = 4
        #expect(throws: PrometheusText.ParseError(line: 0, reason: "exposition of 5 bytes exceeds 4")) {
            try PrometheusText(parsing: "a 1\n\n", limits: limits)
        }
    }

    @Test func commentsBlankLinesAndCRLFAreAccepted() throws {
        let text = try PrometheusText(parsing: "# just a comment\r\n\r\n  metric 3\r\n")
        #expect(text.samples == [PrometheusText.Sample(name: "metric", value: 3)])
    }
}
