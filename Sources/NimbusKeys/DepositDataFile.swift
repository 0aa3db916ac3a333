/// The `deposit_data-<unix time>.json` file: a JSON list of `DepositDataEntry`, written exactly as
/// ethstaker-deposit-cli 1.3.x writes it (one line, Python `json.dump` spacing, no trailing newline).
///
/// This module only makes names and contents; the caller writes the file (ethstaker-deposit-cli creates it with
/// O_EXCL and mode 0400).
public enum DepositDataFile {
    /// "deposit_data-<timestamp>.json", the timestamp in whole seconds since 1970.
    public static func fileName(timestamp: Int) -> String {
        "deposit_data-\(timestamp).json"
    }

    /// The file's contents.
    public static func encode(_ entries: [DepositDataEntry]) -> String {
        PythonJSONWriter.array(entries.map(\.json))
    }

    /// Parses a deposit data file, checking types and sizes (not roots or signatures: see `DepositDataVerifier`).
    /// Never traps, whatever the input.
    public static func decode(_ bytes: [UInt8]) throws(DepositError) -> [DepositDataEntry] {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw .notJSON(offset: error.offset, reason: error.reason)
        }
        guard case .array(let elements) = root else { throw .notAList }
        guard !elements.isEmpty else { throw .emptyFile }
        var entries: [DepositDataEntry] = []
        for (index, element) in elements.enumerated() {
            do {
                entries.append(try DepositDataEntry(json: element))
            } catch {
                throw .entry(index: index, error)
            }
        }
        return entries
    }
}
