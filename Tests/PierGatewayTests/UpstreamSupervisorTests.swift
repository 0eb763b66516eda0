import PierGateway
import Testing

@Suite struct UpstreamSupervisorTests {
    let start = ContinuousClock.now

    @Test func runningOnlyAfterItSaysSo() {
        var s = UpstreamSupervisor()
        s.starting()
        #expect(s.phase == .starting)
        s.running(at: start)
        #expect(s.phase == .running)
    }

    @Test func anAskedForStartAfterAGiveUpBeginsAfresh() {
        var policy = SupervisorPolicy()
        policy.maximumRestarts = 1
        var s = UpstreamSupervisor(policy: policy)
        s.starting()
        _ = s.wentAway(at: start, reason: "crash", random: 0.5)
        s.starting()
        #expect(s.wentAway(at: start, reason: "crash", random: 0.5) == .giveUp("gave up after 2 failures in a row; last: crash"))
        s.pending()
        #expect(s.phase == .starting && s.consecutiveCrashes == 0)
        s.starting()
        #expect(s.wentAway(at: start, reason: "crash", random: 0.5) == .restart(after: .milliseconds(250)), "the crash count began again")
        s.running(at: start)
        s.pending()
        #expect(s.phase == .running, "a running upstream is left as it is")
        s.stopped()
        s.pending()
        #expect(s.phase == .starting)
    }

    @Test func backoffDoublesUpToTheCap() {
        var policy = SupervisorPolicy()
        policy.jitter = 0
        policy.maximumRestarts = 100
        var s = UpstreamSupervisor(policy: policy)
        var delays: [Duration] = []
        for _ in 0..<10 {
            s.starting()
            if case .restart(let after) = s.wentAway(at: start, reason: "crash", random: 0.5) { delays.append(after) }
        }
        #expect(delays.prefix(3) == [.milliseconds(250), .milliseconds(500), .seconds(1)])
        #expect(delays.last == policy.maximumBackoff)
        #expect(s.phase == .unhealthy("crash"))
    }

    @Test func jitterStaysWithinItsBand() {
        var policy = SupervisorPolicy()
        policy.jitter = 0.2
        var low = UpstreamSupervisor(policy: policy)
        var high = UpstreamSupervisor(policy: policy)
        #expect(low.wentAway(at: start, reason: "x", random: 0) == .restart(after: .milliseconds(200)))
        guard case .restart(let after) = high.wentAway(at: start, reason: "x", random: 1) else {
            Issue.record("expected a restart")
            return
        }
        #expect(after > .milliseconds(299) && after < .milliseconds(301))
    }

    @Test func aCrashLoopEndsInFailedWithTheReason() {
        var policy = SupervisorPolicy()
        policy.maximumRestarts = 3
        var s = UpstreamSupervisor(policy: policy)
        var decisions: [UpstreamSupervisor.Decision] = []
        for _ in 0..<4 {
            s.starting()
            decisions.append(s.wentAway(at: start, reason: "exit 1: boom", random: 0.5))
        }
        guard case .giveUp(let why) = decisions.last else {
            Issue.record("expected to give up, got \(decisions)")
            return
        }
        #expect(why.contains("exit 1: boom"))
        #expect(s.phase.description == "failed")
    }

    @Test func aStableRunResetsTheCount() {
        var policy = SupervisorPolicy()
        policy.maximumRestarts = 2
        policy.jitter = 0
        var s = UpstreamSupervisor(policy: policy)
        s.starting()
        _ = s.wentAway(at: start, reason: "x", random: 0)
        s.starting()
        _ = s.wentAway(at: start, reason: "x", random: 0)
        s.starting()
        s.running(at: start)
        // Up for longer than stableAfter: this crash counts as the first again.
        #expect(s.wentAway(at: start + .seconds(61), reason: "x", random: 0) == .restart(after: .milliseconds(250)))
        #expect(s.consecutiveCrashes == 1)
    }

    @Test func withoutAutoRestartTheFirstCrashFails() {
        var s = UpstreamSupervisor(autoRestart: false)
        s.starting()
        #expect(s.wentAway(at: start, reason: "gone", random: 0) == .giveUp("gone"))
        #expect(s.phase == .failed("gone"))
    }
}
