import Hummingbird

/// Counts every answered request and its duration by route, method and status (`RelayMetrics`).
/// First in the chain, so refusals by the other middleware are counted too.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RelayMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.request(method: request.method, path: request.uri.path, status: Int(response.status.code), duration: .now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(method: request.method, path: request.uri.path, status: Int(status), duration: .now - start)
            throw error
        }
    }
}
