import NimbusRuntime
import Testing

@Suite("LogLine logfmt")
struct LogLineTests {
    static func line(
        _ message: String, _ metadata: [(String, String)] = [], level: String = "info",
        timestamp: String? = "2026-11-26T18:11:11.123Z", journal: Bool = false
    ) -> String {
        LogLine.format(
            level: level, role: "network", message: message, metadata: metadata, timestamp: timestamp,
            journal: journal)
    }

    /// The formatted value of a single metadata entry `k`.
    static func value(_ raw: String) -> String {
        let formatted = line("m", [("k", raw)], timestamp: nil)
        let prefix = "level=info role=network msg=m k="
        return formatted.hasPrefix(prefix) ? String(formatted.dropFirst(prefix.count)) : "unexpected: \(formatted)"
    }

    @Test func plainLineHasTimestampLevelRoleMessageThenSortedMetadata() {
        let line = Self.line("role spawned", [("pid", "42"), ("child", "signer"), ("a_first", "1")])
        #expect(line == #"ts=2026-11-26T18:11:11.123Z level=info role=network msg="role spawned" "#
            + "a_first=1 child=signer pid=42")
    }

    @Test func bareWordsAreNotQuoted() {
        #expect(Self.line("ready", timestamp: nil) == "level=info role=network msg=ready")
        #expect(Self.value("/var/lib/nimbus-node-manager") == "/var/lib/nimbus-node-manager")
        #expect(Self.value("net:[4026531840]") == "net:[4026531840]")
    }

    @Test(arguments: [
        ("", #""""#),
        ("two words", #""two words""#),
        (#"say "hi""#, #""say \"hi\"""#),
        ("a=b", #""a=b""#),
        (#"C:\dir"#, #""C:\\dir""#),
        ("line\nbreak", #""line\nbreak""#),
        ("cr\rhere", #""cr\rhere""#),
        ("tab\there", #""tab\there""#),
        ("bell\u{07}", #""bell\x07""#),
        ("esc\u{1B}[31m", #""esc\x1b[31m""#),
        ("nul\u{00}", #""nul\x00""#),
        ("del\u{7F}", #""del\x7f""#),
        ("vt\u{0B}ff\u{0C}", #""vt\x0bff\x0c""#),
        ("nel\u{85}csi\u{9B}", #""nel\x85csi\x9b""#),
        ("ls\u{2028}ps\u{2029}", #""ls\u2028ps\u2029""#),
        ("élan ✓", #""élan ✓""#),
    ])
    func valuesAreQuotedAndEscaped(raw: String, formatted: String) {
        #expect(Self.value(raw) == formatted)
    }

    @Test func hostileValuesNeverSpanTwoLines() {
        let hostile = "a\nlevel=error role=signer msg=\"forged\"\r\n\u{0B}\u{0C}\u{1C}\u{1D}\u{1E}\\\n"
        let formatted = Self.line(hostile, [("peer", hostile), ("key\nwith newline", "x")])
        #expect(!formatted.utf8.contains(0x0A))
        #expect(!formatted.utf8.contains(0x0D))
        #expect(!formatted.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        #expect(formatted.hasPrefix("ts=2026-11-26T18:11:11.123Z level=info role=network msg=\"a\\nlevel=error "))
    }

    @Test func metadataKeysAreSanitized() {
        #expect(Self.line("m", [("bad key=x", "1"), ("ok.key-1_A", "2"), ("", "3")], timestamp: nil)
            == "level=info role=network msg=m _=3 bad_key_x=1 ok.key-1_A=2")
    }

    @Test func journalLinesCarryThePriorityAndNoTimestamp() {
        #expect(Self.line("stopped", level: "warning", timestamp: nil, journal: true)
            == "<4>level=warning role=network msg=stopped")
    }

    @Test(arguments: [
        ("trace", 7), ("debug", 7), ("info", 6), ("notice", 5), ("warning", 4), ("error", 3), ("critical", 2),
    ])
    func syslogPriorityFollowsTheLevel(level: String, priority: Int) {
        #expect(LogLine.syslogPriority(level) == priority)
        #expect(Self.line("m", level: level, timestamp: nil, journal: true).hasPrefix("<\(priority)>level=\(level) "))
    }

    @Test func withoutJournalThereIsNoPriorityPrefix() {
        #expect(Self.line("m", level: "error").hasPrefix("ts="))
    }
}
