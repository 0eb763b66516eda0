// A helper the store tests start as separate processes. Not shipped.
//
//   StoreProbe burst  (--sqlite PATH | --postgres URL) COUNT
//       writes keys burst/0…COUNT-1, printing "ack N" once each write has committed.
//   StoreProbe race   (--sqlite PATH | --postgres URL) START_MS INCREMENTS
//       at START_MS (epoch ms) tries to create race/first (prints "first won" or "first lost"), then increments
//       race/counter INCREMENTS times by read + compare-and-set, printing "wins N conflicts M".
import Foundation
import Logging
import PierStore
import PierStorePostgres
import PierStoreSQLite
import PostgresNIO

/// Writes one line straight to the stdout descriptor, unbuffered, so a killed process has printed all it acknowledged.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("StoreProbe: \(message)\n".utf8))
    exit(2)
}

let args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 3 else { fail("usage: StoreProbe burst|race --sqlite PATH|--postgres URL ...") }

func burst(_ store: any StoreBackend, count: Int) async throws {
    for i in 0..<count {
        let result = try await store.compareAndSet(namespace: "burst", key: String(i), expectedVersion: nil, value: Array("value-\(i)".utf8), ttl: nil)
        guard result.entry != nil else { fail("burst/\(i) already existed") }
        say("ack \(i)")
    }
}

func race(_ store: any StoreBackend, startMilliseconds: Int64, increments: Int) async throws {
    let wait = startMilliseconds - Timestamp.now().milliseconds
    if wait > 0 { try await Task.sleep(for: .milliseconds(wait)) }
    let first = try await store.compareAndSet(namespace: "race", key: "first", expectedVersion: nil, value: Array("\(getpid())".utf8), ttl: nil)
    say(first.entry != nil ? "first won" : "first lost")
    var wins = 0
    var conflicts = 0
    while wins < increments {
        let current = try await store.get(namespace: "race", key: "counter")
        let n = current.map { Int(String(decoding: $0.value, as: UTF8.self)) ?? 0 } ?? 0
        let result = try await store.compareAndSet(namespace: "race", key: "counter", expectedVersion: current?.version, value: Array(String(n + 1).utf8), ttl: nil)
        if result.entry != nil { wins += 1 } else { conflicts += 1 }
    }
    say("wins \(wins) conflicts \(conflicts)")
}

func run(_ store: any StoreBackend) async throws {
    switch args[0] {
    case "burst":
        guard args.count >= 4, let count = Int(args[3]) else { fail("burst needs COUNT") }
        try await burst(store, count: count)
    case "race":
        guard args.count >= 5, let start = Int64(args[3]), let increments = Int(args[4]) else { fail("race needs START_MS INCREMENTS") }
        try await race(store, startMilliseconds: start, increments: increments)
    default:
        fail("unknown command \(args[0])")
    }
}

switch args[1] {
case "--sqlite":
    let store = try SQLiteStore(path: args[2])
    try await store.migrate()
    try await run(store)
case "--postgres":
    let store = PostgresStore(settings: try PostgresSettings(url: args[2]), logger: Logger(label: "probe"))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await store.client.run() }
        try await store.migrate()
        try await run(store)
        group.cancelAll()
    }
default:
    fail("the store is --sqlite PATH or --postgres URL")
}
