/// Names of keystore files as ethstaker-deposit-cli 1.3.x writes them: `keystore-m_12381_3600_<i>_0_0-<ts>.json`.
public enum KeystoreFile {
    /// "keystore-<path with / as _>-<timestamp>.json".
    public static func fileName(path: DerivationPath, timestamp: Int) -> String {
        "keystore-\(path.fileNameComponent)-\(timestamp).json"
    }

    /// The file's contents (see `KeystoreJSON.encode`).
    public static func contents(_ keystore: Keystore) -> String {
        KeystoreJSON.encode(keystore)
    }
}
