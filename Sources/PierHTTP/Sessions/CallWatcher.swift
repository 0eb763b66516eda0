import Logging
import NIOCore
import PierServer
import ServiceLifecycle
import Synchronization

/// Watches calls in flight and fires a call's cancel signal when its client has gone.
///
/// Registering is a dictionary insert under a lock, so quick calls cost almost nothing; one sweep every
/// `interval` looks only at calls older than the slow-call threshold. This is what makes a client closing its
/// response stream cancel the work (the 2026-07-28 cancellation rule) without a timer per call.
final class CallWatcher: Sendable {
    private struct Entry {
        let start: ContinuousClock.Instant
        let channel: any Channel
        let signal: CancelSignal
        var tracker: InputClosedTracker?
        var lookedUp = false
    }
    private struct State {
        var next = 0
        var calls: [Int: Entry] = [:]
    }
    private let state = Mutex(State())
    let threshold: Duration

    init(threshold: Duration) { self.threshold = threshold }

    func register(_ liveness: Liveness, signal: CancelSignal) -> Int {
        state.withLock { s in
            s.next += 1
            s.calls[s.next] = Entry(start: .now, channel: liveness.channel, signal: signal)
            return s.next
        }
    }

    func unregister(_ ticket: Int) { _ = state.withLock { $0.calls.removeValue(forKey: ticket) } }

    var inFlight: Int { state.withLock { $0.calls.count } }

    /// Checks the calls running longer than the threshold; fires the signal of each whose client left.
    func sweep(now: ContinuousClock.Instant = .now) async {
        let slow = state.withLock { s in s.calls.filter { now - $0.value.start >= threshold } }
        for (ticket, entry) in slow {
            var tracker = entry.tracker
            if !entry.lookedUp {
                tracker = try? await entry.channel.pipeline.handler(type: InputClosedTracker.self).get()
                state.withLock { s in
                    s.calls[ticket]?.tracker = tracker
                    s.calls[ticket]?.lookedUp = true
                }
            }
            if !entry.channel.isActive || tracker?.isClosed == true { entry.signal.fire() }
        }
    }
}

/// Runs the ``CallWatcher`` sweeps; part of the application's service group.
public struct CallWatcherService: Service {
    let watcher: CallWatcher
    let interval: Duration

    public func run() async throws {
        await runPeriodically(every: interval) { await watcher.sweep() }
    }
}
