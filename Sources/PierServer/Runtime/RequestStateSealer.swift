import Crypto
import MCPCore
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Signs and checks `requestState`: the answers of earlier rounds, bound to one method, target and arguments,
/// with an expiry and a single-use nonce. The client cannot read the binding or change anything without the
/// HMAC failing, and a state cannot be used twice.
final class RequestStateSealer: Sendable {
    private let secret: [UInt8]
    private let lifetime: Int64
    private let used = Mutex<[String: Int64]>([:])

    init(secret: [UInt8], lifetimeSeconds: Int64 = 600) {
        self.secret = secret
        self.lifetime = lifetimeSeconds
    }

    private var key: SymmetricKey { SymmetricKey(data: secret) }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    static func binding(_ request: JSONRPCRequest) -> String {
        var target = JSONObject()
        for field in ["name", "uri", "arguments"] { if let v = request.params[field] { target[field] = v } }
        let digest = SHA256.hash(data: JSONValue.object(target).serialized())
        return request.method + ":" + digest.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }

    func seal(responses: JSONObject, for request: JSONRPCRequest) -> String {
        var nonce = [UInt8](repeating: 0, count: 16)
        var g = SystemRandomNumberGenerator()
        for i in nonce.indices { nonce[i] = g.next() }
        let payload: JSONValue = [
            "b": .string(Self.binding(request)), "r": .object(responses), "e": .int(Int(Self.now() + lifetime)),
            "n": .string(Data(nonce).base64EncodedString()),
        ]
        let body = Data(payload.serialized())
        let mac = Data(HMAC<SHA256>.authenticationCode(for: body, using: key))
        return body.base64EncodedString() + "." + mac.base64EncodedString()
    }

    /// The earlier answers in `state`, once its signature, binding, expiry and single use have been checked.
    func open(_ state: String, for request: JSONRPCRequest) throws(MCPError) -> JSONObject {
        let invalid = MCPError.invalidParams("Invalid requestState: it was altered, has expired, was already used, or belongs to another request")
        let parts = state.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let body = Data(base64Encoded: String(parts[0])), let mac = Data(base64Encoded: String(parts[1])),
            HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key),
            case .object(let payload)? = try? JSONValue(parsing: [UInt8](body)),
            payload["b"]?.stringValue == Self.binding(request),
            let expiry = payload["e"]?.intValue, Int64(expiry) > Self.now(),
            let nonce = payload["n"]?.stringValue, let responses = payload["r"]?.objectValue
        else { throw invalid }
        let now = Self.now()
        let fresh = used.withLock { u -> Bool in
            if u.count > 100_000 { u = u.filter { $0.value > now } }
            guard u[nonce] == nil else { return false }
            u[nonce] = Int64(expiry)
            return true
        }
        guard fresh else { throw invalid }
        return responses
    }
}
