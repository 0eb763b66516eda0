import Crypto
import JWTKit
import MCPCore
import PierStore
import PierSync
import Testing

@testable import PierAuth

@Suite struct TokenCacheTests {
    func record() -> TokenRecord {
        TokenRecord(
            tokenHash: SecretHash(of: "t"), kind: .access, clientID: "c", subject: "ada", scopes: ["mcp:read"], resource: "r", familyID: "f",
            expiresAt: Timestamp.now().adding(.seconds(60)))
    }

    @Test func oneRequestRenewsAnExpiredEntryWhileTheOthersUseIt() {
        let cache = TokenCache(lifetime: .seconds(1))
        let digest = SHA256.hash(data: Array("t".utf8))
        let start = ContinuousClock.now
        cache.keep(record(), digest: digest, now: start)
        guard case .fresh = cache.lookup(digest, now: start + .milliseconds(500)) else { Issue.record("not fresh"); return }
        guard case .renew = cache.lookup(digest, now: start + .milliseconds(1_100)) else { Issue.record("no renewal"); return }
        guard case .fresh = cache.lookup(digest, now: start + .milliseconds(1_200)) else { Issue.record("a second renewal"); return }
        guard case .miss = cache.lookup(digest, now: start + .milliseconds(2_100)) else { Issue.record("kept too long"); return }
        cache.keep(record(), digest: digest, now: start)
        cache.drop(family: "f")
        guard case .miss = cache.lookup(digest, now: start) else { Issue.record("revoked family kept"); return }
    }
}
