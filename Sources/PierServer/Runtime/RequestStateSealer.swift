import Crypto
import MCPCore
import PierSync
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
    /// Where nonces are claimed across instances; `nil`: in this process (`used`).
    private let ledger: (any NonceLedger)?
    private let used = Locked<[String: Int64]>([:])

    init(secret: [UInt8], lifetimeSeconds: Int64 = 600, ledger: (any NonceLedger)? = nil) {
        self.secret = secret
        self.lifetime = lifetimeSeconds
        self.ledger = ledger
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
    func open(_ state: String, for request: JSONRPCRequest) async throws(MCPError) -> JSONObject {
        let invalid = MCPError.invalidParams("Invalid requestState: it was altered, has expired, was already used, or belongs to another request")
        let parts = state.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let body = Data(base64Encoded: String(parts[0])), let mac = Data(base64Encoded: String(parts[1])),
            HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key),
            case .object(let payload)? = try? JSONValue(parsing: [UInt8](body)),
            payload["b"]?.stringValue == Self.binding(request),
            let expiry = payload["e"]?.intValue, Int64(expiry) > Self.now(),
            let nonce = payload["n"]?.stringValue, let responses = payload["r"]?.objectValue
        else { throw invalid }
        guard try await claim(nonce, until: Int64(expiry)) else { throw invalid }
        return responses
    }

    /// Claims `nonce` for its one use: in the ledger when there is one, else in this process.
    private func claim(_ nonce: String, until expiry: Int64) async throws(MCPError) -> Bool {
        if let ledger {
            do {
                return try await ledger.claim(nonce, until: expiry)
            } catch {
                // Whether the state was used cannot be told: it is not served (the client can start over).
                throw MCPError.internalError()
            }
        }
        let now = Self.now()
        return used.withLock { u -> Bool in
            if u.count > 100_000 { u = u.filter { $0.value > now } }
            guard u[nonce] == nil else { return false }
            u[nonce] = expiry
            return true
        }
    }
}

/// Where the single-use nonces of `requestState` are claimed, so that a state is used once across every instance
/// that shares the signing secret (Pier's store, with compare-and-set and expiry).
public protocol NonceLedger: Sendable {
    /// Claims `nonce` until `expiry` (seconds since 1970); `false` when it was claimed before.
    func claim(_ nonce: String, until expiry: Int64) async throws -> Bool
}
