import Foundation

/// Reads secrets for `nimbus keys`: from a file the person named, or typed at the terminal (without echo for
/// passwords). Bytes are returned in arrays the caller wipes after sending them to the signer.
enum SecretInput {
    /// The first line of `path` (a trailing newline is not part of the secret, as with ethstaker's files).
    static func fromFile(_ path: String, what: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError(description: "cannot read \(what) file \(path)")
        }
        var bytes = [UInt8](data)
        if let newline = bytes.firstIndex(of: 0x0A) {
            for index in newline..<bytes.count { bytes[index] = 0 }
            bytes.removeSubrange(newline...)
        }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard !bytes.isEmpty else { throw CLIError(description: "\(what) file \(path) is empty") }
        return bytes
    }

    /// One line typed at the terminal (or read from stdin when it is not one). `echo: false` hides it.
    static func prompt(_ text: String, echo: Bool) throws -> [UInt8] {
        FileHandle.standardError.write(Data(text.utf8))
        let terminal = isatty(STDIN_FILENO) == 1
        var saved = termios()
        if terminal && !echo {
            tcgetattr(STDIN_FILENO, &saved)
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if terminal && !echo {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(STDIN_FILENO, &byte, 1) == 1 {
            if byte == 0x0A { break }
            bytes.append(byte)
        }
        if bytes.last == 0x0D { bytes.removeLast() }
        return bytes
    }

    /// A new keystore password, typed twice at a terminal.
    static func newPassword() throws -> [UInt8] {
        var first = try prompt("Keystore password (at least 8 characters): ", echo: false)
        guard isatty(STDIN_FILENO) == 1 else { return first }
        var second = try prompt("Repeat the password: ", echo: false)
        defer { wipe(&second) }
        guard first == second else {
            wipe(&first)
            throw CLIError(description: "the two passwords differ; nothing was generated")
        }
        return first
    }

    static func wipe(_ bytes: inout [UInt8]) {
        for index in bytes.indices { bytes[index] = 0 }
    }
}
