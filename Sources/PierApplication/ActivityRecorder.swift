public import Logging
public import PierServer
public import PierStore
public import ServiceLifecycle
import PierSync

/// Puts every finished tool call in the store's activity log (tool, server, subject, outcome, duration). Calls
/// hand their record over without waiting (``record(_:)``); the service writes them in batches every half
/// second, and once more at shutdown. At most `capacity` records wait: past that, new ones are counted and
/// dropped (a store that cannot keep up must not take memory or slow the calls down).
public final class ActivityRecorder: Service, Sendable {
    struct Pending {
        var events: [ActivityEvent] = []
        var dropped = 0
    }

    let store: any StoreBackend
    let capacity: Int
    let interval: Duration
    let logger: Logger
    private let pending = Locked(Pending())

    public init(store: any StoreBackend, capacity: Int = 10_000, interval: Duration = .milliseconds(500), logger: Logger) {
        self.store = store
        self.capacity = max(1, capacity)
        self.interval = interval
        self.logger = logger
    }

    /// The call observer to give the server (``ServerConfiguration/callObserver``).
    public func record(_ call: CallRecord) {
        let milliseconds = call.duration.components.seconds * 1000 + call.duration.components.attoseconds / 1_000_000_000_000_000
        let event = ActivityEvent(
            at: .now(), server: call.source, tool: call.tool, durationMilliseconds: milliseconds, status: call.failed ? "error" : "ok", subject: call.subject,
            kind: ActivityEvent.toolCall, detail: nil)
        pending.withLock { p in
            if p.events.count < capacity { p.events.append(event) } else { p.dropped += 1 }
        }
    }

    public func run() async throws {
        // Sleeps are cut short by shutdown; writes are not (a write cancelled half-way would lose its batch).
        while await (try? cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }) != nil {
            await flush()
        }
        await flush()
    }

    /// Writes what waits; a failed write is logged and its records dropped (the log is not worth a retry storm).
    func flush() async {
        let (events, dropped) = pending.withLock { p in
            defer { p = Pending() }
            return (p.events, p.dropped)
        }
        if dropped > 0 { logger.warning("activity log behind: tool calls not recorded", metadata: ["dropped": "\(dropped)"]) }
        guard !events.isEmpty else { return }
        do {
            _ = try await store.append(events)
        } catch {
            logger.warning("activity log write failed", metadata: ["events": "\(events.count)", "error": "\(error)"])
        }
    }
}
