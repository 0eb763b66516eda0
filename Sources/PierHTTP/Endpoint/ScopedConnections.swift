import HummingbirdCore
import Logging
import NIOCore
import PierServer

/// Runs each connection's request loop in a task the ``DisconnectMonitor`` can cancel: when the client leaves while
/// a call that should stop with it is running.
struct ScopedConnections<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value
    let inner: Inner
    let monitor: DisconnectMonitor

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> { inner.setup(channel: channel, logger: logger) }

    func handle(value: Value, logger: Logger) async {
        guard let scope = monitor.scope(for: value.channel) else { return await inner.handle(value: value, logger: logger) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await inner.handle(value: value, logger: logger) }
            group.addTask { await scope.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}
