import Foundation
import Hummingbird
import Logging

/// One log line per request: request id, method, route (identifiers replaced by `:id`), status
/// and duration. Never a body, a header value, a key or a name.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Every line this request causes carries its id (`RequestID`), whatever the level.
        let id = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        return try await RequestID.$current.withValue(id) {
            // Nothing more to build when request lines are not logged (--log-level warning and above).
            guard logger.logLevel <= .info else { return try await next(request, context) }
            let start = ContinuousClock.now
            let route = Self.route(request.uri.path)
            do {
                let response = try await next(request, context)
                log(id, request, route, status: Int(response.status.code), start)
                return response
            } catch {
                let status = (error as? any HTTPResponseError)?.status.code ?? 500
                log(id, request, route, status: Int(status), start)
                throw error
            }
        }
    }

    private func log(_ id: String, _ request: Request, _ route: String, status: Int, _ start: ContinuousClock.Instant) {
        let elapsed = (ContinuousClock.now - start).components
        let ms = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        logger.info("request", metadata: [
            "request_id": .string(id), "method": .string(request.method.rawValue), "route": .string(route),
            "status": .stringConvertible(status), "ms": .string(String(format: "%.2f", ms)),
        ])
    }

    /// The path with every segment that is not a fixed word replaced by `:id` (`APIRoutes.route`).
    static func route(_ path: String) -> String { APIRoutes.route(path) }
}

extension APIRoutes {
    /// The path with every segment that is not a fixed word replaced by `:id`, so ids do not reach
    /// logs or metrics and CR/LF cannot forge lines.
    static func route(_ path: String) -> String {
        "/" + path.split(separator: "/").map { knownSegments.contains($0) ? String($0) : ":id" }.joined(separator: "/")
    }
}

/// The fixed words of the API's paths (`APIRoutes.route`).
private let knownSegments: Set<Substring> = [
    "healthz", "readyz", "v1", "relay", "enrolments", "me", "sessions", "organisations", "devices", "record", "revocation", "invites", "prekeys",
    "envelopes", "inbox", "ack", "status", "consents", "withdrawal", "declarations", "notices", "log", "checkpoint", "entries", "proof",
    "inclusion", "consistency", "organisation-key", "packages", "outside-reports", "directory",
]
