public import Hummingbird
public import Logging
import NIOCore
import RelaisCore

/// The witness's HTTP interface (c2sp.org/tlog-witness): `POST /add-checkpoint` and the monitors'
/// `GET /<origin hash>/checkpoint`. No authentication: the log's signature on the checkpoint is
/// the only thing checked, as the protocol says. Bodies over 64 KiB are refused unread.
public enum WitnessApplication {
    public static func application(witness: Witness, host: String, port: Int, logger: Logger,
                                   onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        router.post("/add-checkpoint") { request, _ -> Response in
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: AddCheckpointRequest.maxBodyBytes) } catch {
                return Response(status: .contentTooLarge)
            }
            let answer = try await witness.addCheckpoint(Array(buffer: body))
            // The status only: never the checkpoint or the log's name.
            logger.info("add-checkpoint", metadata: ["status": .stringConvertible(answer.status)])
            return Response(status: .init(code: answer.status), headers: [.contentType: answer.contentType],
                            body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        router.get("/:originHash/checkpoint") { _, context -> Response in
            guard let hash = context.parameters.get("originHash"), let note = await witness.checkpoint(originHash: hash) else {
                return Response(status: .notFound)
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: note)))
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "relais-witness"),
                           onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) }, logger: logger)
    }
}
