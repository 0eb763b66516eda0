import NIOCore
import PierServer

/// Whether a request's client is still there: its connection, watched by the ``DisconnectMonitor``.
struct Liveness: Sendable {
    let monitor: DisconnectMonitor
    let channel: any Channel

    /// Fires `signal` when the client goes (at once if it has); the returned watch stops that when cancelled.
    func onClose(fire signal: CancelSignal) -> Watch { Watch(monitor: monitor, registration: monitor.watch(channel, signal)) }

    /// Runs `body`, to stop when the client goes: in the connection's own task when the connection runs in a scope
    /// the monitor cancels, else as a child task `signal` cancels.
    func cancelling<T: Sendable>(_ body: (CancelSignal?) async -> T) async -> T {
        if monitor.arm(channel) {
            defer { monitor.disarm(channel) }
            return await body(nil)
        }
        let signal = CancelSignal()
        let watch = onClose(fire: signal)
        defer { watch.cancel() }
        return await body(signal)
    }

    /// Returns once the client has gone, or when the calling task is cancelled.
    func waitForClose() async { await monitor.waitForClose(channel) }

    struct Watch: Sendable {
        let monitor: DisconnectMonitor
        let registration: DisconnectMonitor.Registration?
        func cancel() { if let registration { monitor.unwatch(registration) } }
    }
}
