import HummingbirdCore
import Logging
import NIOCore

/// Closes a connection whose request takes longer than `timeout` to arrive, from its first byte
/// until the relay starts answering (issue 14, finding 4): a client that trickles its headers or
/// its body, or stops half-way, holds a connection and its buffers for `timeout` at most.
/// Hummingbird's `idleTimeout` closes the connections that send nothing at all; it is reset by
/// every body part, so a body sent a byte at a time would keep a connection open without this.
///
/// It sits right after the socket (after TLS when there is TLS) and looks only at when bytes pass,
/// never at them: the first byte read after the last write arms the deadline, a write disarms it.
final class RequestReadTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if deadline == nil {
            let channel = context.channel
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { channel.close(promise: nil) }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        disarm()
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

/// `Base` (the HTTP/1 channel) with a `RequestReadTimeoutHandler` in front of it.
struct RequestReadTimeoutChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base
    let timeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RequestReadTimeoutHandler(timeout: timeout))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
