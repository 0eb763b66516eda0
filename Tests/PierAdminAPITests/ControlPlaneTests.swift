import Foundation
import Hummingbird
import MCPCore
import PierStore
import Testing

@testable import PierAdminAPI
import PierAuth

@Suite struct ControlPlaneTests {
    @Test func theLimiterRefusesAnAddressPastItsFailuresUntilTheWindowEnds() {
        var limiter = FailureLimiter(limit: 3, window: .seconds(60), capacity: 2)
        let start = ContinuousClock.now
        for _ in 0..<3 { limiter.failed("a", at: start) }
        #expect(limiter.blocked("a", at: start + .seconds(1)) == .seconds(59))
        #expect(limiter.blocked("b", at: start) == nil)
        #expect(limiter.blocked("a", at: start + .seconds(61)) == nil)
        limiter.failed("b", at: start)
        limiter.failed("c", at: start + .seconds(2))
        #expect(limiter.tracked == 2, "the stalest address is forgotten past capacity")
    }

    @Test func keysAreCheckedByHashAndRateLimited() async throws {
        let store = MemoryStore()
        let keys = try APIKeys(store: store, bootstrapKey: String(repeating: "b", count: 32), limiter: FailureLimiter(limit: 2))
        #expect(try await keys.authenticate(authorization: "Bearer " + String(repeating: "b", count: 32), address: "x").name == APIKeys.bootstrapName)
        let created = try await APIKeys.create(name: "ops", in: store)
        #expect(created.key.hasPrefix("pier_") && created.key.count == 48 && created.record.keyHash == SecretHash(of: created.key))
        #expect(try await keys.authenticate(authorization: "bearer \(created.key)", address: "x").actor == "apikey:ops")
        _ = try await APIKeys.revoke("ops", in: store)
        await #expect(throws: AdminError.unauthorized) { try await keys.authenticate(authorization: "Bearer \(created.key)", address: "y") }
        await #expect(throws: AdminError.unauthorized) { try await keys.authenticate(authorization: nil, address: "y") }
        do {
            _ = try await keys.authenticate(authorization: "Bearer " + String(repeating: "b", count: 32), address: "y")
            Issue.record("a blocked address must be refused even with a good key")
        } catch {
            #expect(error.status == .tooManyRequests && (error.retryAfter ?? 0) > 0)
        }
        #expect(throws: AdminError.self) { try APIKeys(store: store, bootstrapKey: "short") }
    }

    @Test func bearerHeadersAndComparison() {
        #expect(BearerToken.from("Bearer  abc ") == "abc" && BearerToken.from("Basic abc") == nil && BearerToken.from("Bearer") == nil)
        #expect(ConstantTime.equal("abc", "abc") && !ConstantTime.equal("abc", "abd") && !ConstantTime.equal("abc", "ab"))
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8" && Base64URL.encode(Array("hello".utf8)) == "aGVsbG8")
    }

    @Test func thePlanAppliesChangedRecordsAndRemovesDeletedOnes() {
        let a = UpstreamServerRecord(id: "1", name: "a", transport: "stdio", config: [], revision: 2)
        let b = UpstreamServerRecord(id: "2", name: "b", transport: "stdio", config: [])
        let clock = UpstreamServerRecord(id: "3", name: "clock", transport: "stdio", config: [])
        let applied: [String: RegistryPlan.Applied] = ["a": .init(id: "1", revision: 1), "gone": .init(id: "9", revision: 4)]
        #expect(RegistryPlan.actions(applied: applied, stored: [b, a, clock], reserved: ["clock"]) == [.remove("gone"), .apply(a), .apply(b)])
        #expect(RegistryPlan.actions(applied: ["a": .init(id: "1", revision: 2)], stored: [a], reserved: []).isEmpty)
        // Deleted and added again under the same name: a new id, so it is applied afresh.
        let again = UpstreamServerRecord(id: "7", name: "a", transport: "stdio", config: [], revision: 2)
        #expect(RegistryPlan.actions(applied: ["a": .init(id: "1", revision: 2)], stored: [again], reserved: []) == [.apply(again)])
    }

    @Test func timesAreRFC3339() {
        #expect(ISOTime.string(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(ISOTime.string(milliseconds: 1_796_180_400_123) == "2026-12-02T03:00:00.123Z")
        #expect(ISOTime.string(milliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
    }

    @Test func urlsLoseTheirCredentials() {
        #expect(ServerViews.redacted("https://user:pass@h.example/mcp?x=1") == "https://***@h.example/mcp?x=1")
        #expect(ServerViews.redacted("https://h.example/a@b") == "https://h.example/a@b")
    }

    @Test func consoleScriptsAreFoundInPyproject() {
        let text = """
            [project]
            name = "x"
            [project.scripts]
            # the server
            mcp-hello = "hello:main"
            other = "hello:other"
            [tool.x]
            """
        #expect(GitInstaller.consoleScript(in: text) == "mcp-hello")
        #expect(GitInstaller.consoleScript(in: "[tool.poetry.scripts]\nsrv = \"m:f\"\n") == "srv")
        #expect(GitInstaller.consoleScript(in: "[project]\nname = \"x\"\n") == nil)
    }

    @Test func aFailedStepFailsTheInstallWithItsLastLine() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pier-install-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let installer = GitInstaller(root: root, environment: [:]) { step in
            step.arguments.contains("clone") ? (128, "fatal: repository 'file:///nowhere' does not exist\n") : (0, "")
        }
        do {
            _ = try await installer.install("x", source: GitSource(url: "file:///nowhere"), command: nil, arguments: []) { _ in }
            Issue.record("the install should fail")
        } catch {
            #expect(error.reason == "git clone failed (exit status 128): fatal: repository 'file:///nowhere' does not exist")
        }
    }
}
