/// The id `RequestLogMiddleware` gives each request, for the whole task that serves it: the
/// logging system's metadata provider (`relais-server`) adds it to every line that request causes,
/// store failures included, in text and JSON alike.
public enum RequestID {
    @TaskLocal public static var current: String?
}
