/// How an upstream is restarted: exponential backoff with jitter, reset after a sustained uptime, and a crash
/// loop ending in `failed`.
public struct SupervisorPolicy: Sendable, Equatable {
    public var initialBackoff: Duration = .milliseconds(250)
    public var maximumBackoff: Duration = .seconds(30)
    /// Each delay is the backoff times a random factor in `1 - jitter ... 1 + jitter`.
    public var jitter: Double = 0.2
    /// Up time after which a crash counts as the first again.
    public var stableAfter: Duration = .seconds(60)
    /// Crashes in a row (without a stable run between) after which the upstream is `failed`.
    public var maximumRestarts = 8

    public init() {}
}

/// Where an upstream is in its life.
public enum UpstreamPhase: Sendable, Equatable, CustomStringConvertible {
    /// Connecting, negotiating and reading its lists.
    case starting
    /// Negotiated and its lists read: it is in the catalogue.
    case running
    /// It stopped answering or went away; a restart is scheduled.
    case unhealthy(String)
    /// Stopped on purpose (disabled, removed, or Pier shutting down).
    case stopped
    /// Gave up: a crash loop, an unusable configuration, or a restart it may not have (`auto_restart: false`).
    case failed(String)

    public var description: String {
        switch self {
        case .starting: "starting"
        case .running: "running"
        case .unhealthy: "unhealthy"
        case .stopped: "stopped"
        case .failed: "failed"
        }
    }

    /// Why it is not running, when it is unhealthy or failed.
    public var reason: String? {
        switch self {
        case .unhealthy(let why), .failed(let why): why
        default: nil
        }
    }
}

/// The supervision state machine of one upstream: a value with no I/O, driven by its ``UpstreamService`` and
/// tested on its own. Times are given to it, never read.
public struct UpstreamSupervisor: Sendable {
    public let policy: SupervisorPolicy
    public let autoRestart: Bool
    public private(set) var phase: UpstreamPhase = .starting
    /// Crashes since the last stable run.
    public private(set) var consecutiveCrashes = 0
    /// Starts so far (the first included).
    public private(set) var starts = 0
    private var runningSince: ContinuousClock.Instant?

    /// What to do after the upstream went away.
    public enum Decision: Sendable, Equatable {
        case restart(after: Duration)
        case giveUp(String)
    }

    public init(policy: SupervisorPolicy = SupervisorPolicy(), autoRestart: Bool = true) {
        self.policy = policy
        self.autoRestart = autoRestart
    }

    /// A start (or restart) begins.
    public mutating func starting() {
        phase = .starting
        starts += 1
        runningSince = nil
    }

    /// An operator asked for a start (the first, or after a stop or a give-up): it is about to begin (counted by
    /// ``starting()``), and crashes before it no longer count towards giving up.
    public mutating func pending() {
        switch phase {
        case .stopped, .failed:
            phase = .starting
            consecutiveCrashes = 0
        default: break
        }
    }

    /// Negotiation and the lists are done.
    public mutating func running(at now: ContinuousClock.Instant) {
        phase = .running
        runningSince = now
    }

    /// The upstream went away (or could not start) at `now` for `reason`; `random` is in `0...1`.
    public mutating func wentAway(at now: ContinuousClock.Instant, reason: String, random: Double) -> Decision {
        if let since = runningSince, now - since >= policy.stableAfter { consecutiveCrashes = 0 }
        runningSince = nil
        consecutiveCrashes += 1
        guard autoRestart else {
            phase = .failed(reason)
            return .giveUp(reason)
        }
        guard consecutiveCrashes <= policy.maximumRestarts else {
            let why = "gave up after \(consecutiveCrashes) failures in a row; last: \(reason)"
            phase = .failed(why)
            return .giveUp(why)
        }
        phase = .unhealthy(reason)
        let exponent = min(consecutiveCrashes - 1, 30)
        var delay = policy.initialBackoff * (1 << exponent)
        if delay > policy.maximumBackoff { delay = policy.maximumBackoff }
        let factor = 1 - policy.jitter + 2 * policy.jitter * min(max(random, 0), 1)
        return .restart(after: delay * factor)
    }

    /// A failure no restart can mend (a name collision, a missing program).
    public mutating func failed(_ reason: String) {
        phase = .failed(reason)
        runningSince = nil
    }

    /// Stopped on purpose.
    public mutating func stopped() {
        phase = .stopped
        runningSince = nil
    }
}
