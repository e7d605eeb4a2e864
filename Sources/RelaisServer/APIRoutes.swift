import HTTPTypes

/// The API's routes and their methods, as in Protocol/openapi.yaml (a test compares the two), so
/// that a method the API does not have on a path it has is refused with 405 and `Allow`, before
/// authentication: the routes are public knowledge, the contract.
enum APIRoutes {
    static let methods: [(segments: [String], methods: [HTTPRequest.Method])] = [
        (["healthz"], [.get]),
        (["readyz"], [.get]),
        (["v1", "relay"], [.get]),
        (["v1", "enrolments"], [.post, .get]),
        (["v1", "me"], [.get]),
        (["v1", "sessions"], [.post]),
        (["v1", "organisations"], [.post, .get]),
        (["v1", "organisations", "{}", "devices"], [.get]),
        (["v1", "devices", "{}"], [.get]),
        (["v1", "devices", "{}", "record"], [.post]),
        (["v1", "devices", "{}", "revocation"], [.post]),
        (["v1", "invites"], [.post]),
        (["v1", "prekeys"], [.put]),
        (["v1", "envelopes"], [.post]),
        (["v1", "inbox"], [.get]),
        (["v1", "envelopes", "{}"], [.get]),
        (["v1", "envelopes", "{}", "ack"], [.post]),
        (["v1", "envelopes", "{}", "status"], [.get]),
        (["v1", "consents"], [.post]),
        (["v1", "consents", "{}", "withdrawal"], [.post]),
        (["v1", "declarations"], [.post]),
        (["v1", "outside-reports"], [.post]),
        (["v1", "notices"], [.get]),
        (["v1", "organisation-key", "packages"], [.post, .get]),
        (["v1", "organisation-key", "devices"], [.get]),
        (["v1", "log", "checkpoint"], [.get]),
        (["v1", "log", "entries"], [.get]),
        (["v1", "log", "proof", "consistency"], [.get]),
        (["v1", "log", "proof", "inclusion"], [.get]),
        (["v1", "log", "directory", "{}"], [.get]),
    ]

    /// The methods of the route `path` matches (`{}` matches one segment), or nil for a path the
    /// API does not have.
    static func allowed(_ path: String) -> [HTTPRequest.Method]? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var found: [HTTPRequest.Method] = []
        var matched = false
        for route in methods where route.segments.count == parts.count
            && zip(route.segments, parts).allSatisfy({ $0 == "{}" ? !$1.isEmpty : $0 == $1 }) {
            matched = true
            found += route.methods
        }
        return matched ? found : nil
    }
}
