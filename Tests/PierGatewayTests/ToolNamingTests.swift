import PierGateway
import Testing

@Suite struct ToolNamingTests {
    @Test func prefixesWithTheSeparator() {
        #expect(ToolNaming(prefix: "time").exposed("get_current_time") == "time__get_current_time")
        #expect(ToolNaming(prefix: "time", separator: "-").exposed("now") == "time-now")
    }

    @Test func anEmptyPrefixKeepsTheName() {
        #expect(ToolNaming(prefix: "").exposed("echo") == "echo")
    }

    @Test func charactersChatGPTRefusesBecomeUnderscores() {
        #expect(ToolNaming(prefix: "gh").exposed("repo.list/all") == "gh__repo_list_all")
    }

    @Test func longNamesAreCutWithAStableHash() {
        let naming = ToolNaming(prefix: "a-rather-long-server-name")
        let long = String(repeating: "x", count: 80)
        let exposed = naming.exposed(long)
        #expect(exposed.count == 64)
        #expect(exposed == naming.exposed(long))
        #expect(exposed != naming.exposed(long + "y"))
        #expect(exposed.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
    }
}
