// State read and compare-and-set write throughput of a Pier store, at 1 and 16 concurrent tasks.
//
//   swift run -c release StoreBenchmark (--sqlite PATH | --postgres URL) [SECONDS]
//
// Reads: each task reads random keys among 1,000 pre-written ones. Writes: each task compare-and-sets keys of
// its own, always with the right version, so every write is a committed update (no conflicts measured).
import Foundation
import Logging
import PierStore
import PierStorePostgres
import PierStoreSQLite
import PostgresNIO
import Synchronization

let args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 2 else {
    print("usage: StoreBenchmark (--sqlite PATH | --postgres URL) [SECONDS]")
    exit(2)
}
let seconds = args.count > 2 ? Double(args[2]) ?? 5 : 5

func measure(_ label: String, tasks: Int, _ op: @escaping @Sendable (Int, Int) async throws -> Void) async throws -> Double {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    let total = try await withThrowingTaskGroup(of: Int.self) { group in
        for t in 0..<tasks {
            group.addTask {
                var n = 0
                while ContinuousClock.now < deadline {
                    try await op(t, n)
                    n += 1
                }
                return n
            }
        }
        return try await group.reduce(0, +)
    }
    let rate = Double(total) / seconds
    print(String(format: "%@ tasks=%2d ops=%8d ops/s=%9.0f", label, tasks, total, rate))
    return rate
}

func bench(_ store: any StoreBackend) async throws {
    try await store.migrate()
    let value = Array(#"{"items":["eggs","milk"],"total":2}"#.utf8)
    for i in 0..<1000 {
        _ = try await store.compareAndSet(namespace: "bench-read", key: String(i), expectedVersion: nil, value: value, ttl: nil)
    }
    for tasks in [1, 16] {
        _ = try await measure("\(store.name) read ", tasks: tasks) { _, n in
            _ = try await store.get(namespace: "bench-read", key: String((n * 7919) % 1000))
        }
        // Each task writes its own key, tracking its version.
        let versions = VersionBox(count: tasks)
        _ = try await measure("\(store.name) cas  ", tasks: tasks) { t, _ in
            let key = "w\(tasks)-\(t)"
            let expected = versions.get(t)
            let result = try await store.compareAndSet(namespace: "bench-write", key: key, expectedVersion: expected, value: value, ttl: nil)
            guard let entry = result.entry else { fatalError("unexpected conflict on \(key)") }
            versions.set(t, entry.version)
        }
    }
}

/// The last version each task wrote (each task reads and writes only its own slot).
final class VersionBox: Sendable {
    private let slots: Mutex<[Int64?]>
    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }
    func get(_ i: Int) -> Int64? { slots.withLock { $0[i] } }
    func set(_ i: Int, _ v: Int64) { slots.withLock { $0[i] = v } }
}

switch args[0] {
case "--sqlite":
    try await bench(try SQLiteStore(path: args[1]))
case "--postgres":
    let store = PostgresStore(settings: try PostgresSettings(url: args[1]), logger: Logger(label: "bench"))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await store.client.run() }
        try await bench(store)
        group.cancelAll()
    }
default:
    print("the store is --sqlite PATH or --postgres URL")
    exit(2)
}
