// libFuzzer target: what a keys channel reads from the network role (docs/keys-channel.md). In the signer: a
// device's first handshake message, then sealed messages whose plaintext is a `nimbus keys` frame stream; in the
// network role and the device: the JSON bodies of the channel routes with their base64 messages. Any input must end
// in a refusal, never a crash; nothing forged may open.
import Crypto
import Foundation

private let signer = try! Curve25519.KeyAgreement.PrivateKey(rawRepresentation: [UInt8](repeating: 0x11, count: 32))
private let device = try! Curve25519.KeyAgreement.PrivateKey(rawRepresentation: [UInt8](repeating: 0x22, count: 32))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let mode = bytes.first else { return 0 }
    let input = Array(bytes.dropFirst())
    switch mode % 3 {
    case 0:
        // A forged first message: it cannot authenticate without the device's key.
        let outcome = try? KeysChannelHandshake.respond(
            signerKey: Array(signer.rawRepresentation), deviceKey: Array(device.publicKey.rawRepresentation),
            message: input)
        precondition(outcome == nil, "a forged handshake message was accepted")
    case 1:
        // A real channel, then forged messages: none opens, and the frame decoder never sees their bytes.
        guard let (initiator, first) = try? KeysChannelHandshake.Initiator.start(
            deviceKey: Array(device.rawRepresentation), signerKey: Array(signer.publicKey.rawRepresentation)),
            var (answer, cipher) = try? KeysChannelHandshake.respond(
                signerKey: Array(signer.rawRepresentation), deviceKey: Array(device.publicKey.rawRepresentation),
                message: first),
            var deviceCipher = try? initiator.finish(answer)
        else { preconditionFailure("a real handshake failed") }
        answer = []
        // A genuine message first (so that the decoder holds state), then the input as the next message.
        var decoder = SessionFrameDecoder()
        let split = Int(input.first ?? 0) % 8
        guard let genuine = try? deviceCipher.seal(Array(input.prefix(split))).first ?? [],
            (try? cipher.open(genuine)) != nil || split == 0
        else { preconditionFailure("a genuine message did not open") }
        if split > 0 { _ = try? decoder.append(input.prefix(split)) }
        if let plaintext = try? cipher.open(input) {
            preconditionFailure("a forged message of \(input.count) bytes opened to \(plaintext.count) bytes")
        }
    default:
        // The routes' bodies, as the network role and the device decode them.
        let body = Data(input)
        if let open = try? JSONDecoder().decode(KeysChannelAPI.OpenRequest.self, from: body) {
            _ = Data(base64Encoded: open.handshake)
        }
        if let exchange = try? JSONDecoder().decode(KeysChannelAPI.Exchange.self, from: body),
            let messages = KeysChannelAPI.decode(exchange.messages)
        {
            precondition(KeysChannelAPI.decode(KeysChannelAPI.encode(messages)) == messages, "base64 does not round-trip")
        }
        if let output = try? JSONDecoder().decode(KeysChannelAPI.Output.self, from: body) {
            _ = KeysChannelAPI.decode(output.messages)
        }
        _ = try? JSONDecoder().decode(KeysChannelAPI.Opened.self, from: body)
    }
    return 0
}
