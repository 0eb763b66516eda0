@testable import PierConsole
import Testing

/// The dashboard's small decisions, without HTTP.
@Suite struct ConsoleTests {
    @Test func afterSignInOnlyDashboardPathsAreFollowed() {
        #expect(Dashboard.safeNext("/dashboard/activity?kind=auth") == "/dashboard/activity?kind=auth")
        for hostile in ["https://evil.example/", "//evil.example/dashboard", "/dashboard\\@evil", "/elsewhere", "/dashboard\r\nSet-Cookie: x=1", nil] {
            #expect(Dashboard.safeNext(hostile) == "/dashboard")
        }
    }

    @Test func formsDecodeLikeBrowsersSendThem() {
        let fields = FormBody.parse("name=my+server&args=--tz%3DUTC&name=second&empty=&csrf=a%2Bb")
        #expect(fields == ["name": "my server", "args": "--tz=UTC", "empty": "", "csrf": "a+b"])
    }

    @Test func toolCapsNameTheClientsThatDropTools() {
        #expect(ToolCaps.warning(for: 40) == nil)
        let warning = ToolCaps.warning(for: 60)
        #expect(warning?.contains("Cursor (40)") == true && warning?.contains("Windsurf (50)") == true && warning?.contains("VS Code") == false)
    }

    @Test func figuresReadWell() {
        #expect(Figures.uptime(59) == "59s")
        #expect(Figures.uptime(3_725) == "1h 02m")
        #expect(Figures.uptime(nil) == "—")
        #expect(Figures.percent(1, of: 8) == "12.5 %")
        #expect(Figures.milliseconds(0.42) == "0.4 ms")
    }
}
