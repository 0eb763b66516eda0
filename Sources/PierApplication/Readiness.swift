import Hummingbird
import Logging
import PierGateway
import PierStore

/// `GET /ready`: 200 when this instance can serve — its store answers (within 2 s) and every enabled upstream
/// has settled (running, or given up on: none is still starting) — else 503 with what it waits for. A load
/// balancer sends traffic on 200 only; `/health` says whether the process is alive at all.
struct Readiness: Sendable {
    let store: any StoreBackend
    let gateway: Gateway
    let logger: Logger
    static let storeTimeout = Duration.seconds(2)

    struct Report: ResponseEncodable {
        let status: String
        /// `ok`, or why the store did not answer.
        let store: String
        /// The upstreams still starting.
        let starting: [String]
    }

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("/ready") { _, _ -> EditedResponse<Report> in
            let store = await checkStore()
            let starting = gateway.statuses.filter { $0.phase == .starting }.map(\.name)
            let ready = store == "ok" && starting.isEmpty
            return EditedResponse(
                status: ready ? .ok : .serviceUnavailable, headers: [.cacheControl: "no-store"],
                response: Report(status: ready ? "ready" : "not_ready", store: store, starting: starting))
        }
    }

    /// `ok`, or what went wrong (kept short: `/ready` answers anyone).
    func checkStore() async -> String {
        await withTaskGroup(of: String?.self) { group in
            group.addTask {
                do {
                    _ = try await store.schemaVersion()
                    return "ok"
                } catch {
                    logger.warning("readiness: the store did not answer", metadata: ["error": "\(error)"])
                    return "unreachable"
                }
            }
            group.addTask {
                try? await Task.sleep(for: Self.storeTimeout)
                return Task.isCancelled ? nil : "timed out after 2 s"
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? "timed out after 2 s"
        }
    }
}
