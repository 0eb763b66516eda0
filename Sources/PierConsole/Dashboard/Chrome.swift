import Foundation
import Hummingbird

/// What every dashboard page's template gets: the page's title, Pier's styles and script, who is signed in, the
/// CSRF token for its forms, which tab is current, and a notice or error from the last action.
struct Chrome {
    let title: String
    let styles: String
    let script: String
    let user: String
    let csrf: String
    let tab: [String: Bool]
    let notice: String?
    let error: String?

    init(_ dashboard: Dashboard, _ session: DashboardSessions.Session, title: String, tab: String, request: Request? = nil) {
        self.title = title + " · Pier"
        styles = dashboard.pages.assetPath("console.css")
        script = dashboard.pages.assetPath("console.js")
        user = session.user
        csrf = session.csrf
        self.tab = [tab: true]
        notice = request?.uri.queryParameters["notice"].map(String.init)
        error = request?.uri.queryParameters["error"].map(String.init)
    }
}

extension Chrome {
    init(title: String, styles: String, script: String, session: DashboardSessions.Session) {
        self.title = title + " · Pier"
        self.styles = styles
        self.script = script
        user = session.user
        csrf = session.csrf
        tab = [:]
        notice = nil
        error = nil
    }
}

struct LoginView {
    let title = "Sign in · Pier"
    let styles: String
    let script: String
    let error: String?
    let next: String
    /// Where the first user's password is, when Pier just made that user.
    let hint: String?

    init(pages: ConsolePages, error: String?, next: String, hint: String? = nil) {
        styles = pages.assetPath("console.css")
        script = pages.assetPath("console.js")
        self.error = error
        self.next = next
        self.hint = hint
    }
}

struct MissingView {
    let chrome: Chrome
    let what: String

    init(pages: ConsolePages, session: DashboardSessions.Session, what: String) {
        chrome = Chrome(title: "Not found", styles: pages.assetPath("console.css"), script: pages.assetPath("console.js"), session: session)
        self.what = what
    }
}
