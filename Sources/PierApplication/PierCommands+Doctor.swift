import PierDoctor

extension PierCommands {
    /// `pier doctor URL`: the report (text, or JSON with `json`) and the exit status (1 when something blocks
    /// ChatGPT, else 0).
    public static func doctor(url: String, token: String?, caFile: String?, json: Bool) async -> (report: String, status: Int32) {
        let report = await Doctor(Doctor.Options(url: url, token: token, caFile: caFile)).run()
        return (json ? report.json : report.text, report.isBlocked ? 1 : 0)
    }
}
