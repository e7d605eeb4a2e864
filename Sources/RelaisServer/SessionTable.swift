import RelaisCore
import RelaisCrypto
import Synchronization

/// The open request sessions (SPEC.md, "Request sessions"), in memory only: a restart forgets
/// them, and clients open a new one on `session_unknown`. A device holds at most
/// `perDevice` sessions (opening one more closes its oldest); expired sessions are dropped as new
/// ones open.
final class SessionTable: Sendable {
    struct Session: Sendable {
        let device: DeviceID
        let key: SecretBytes
        let expiresAt: UInt64
    }

    private struct State {
        var sessions: [SessionID: Session] = [:]
        var lastSweep: UInt64 = 0
    }

    private let state = Mutex(State())
    let perDevice: Int

    init(perDevice: Int = 8) {
        self.perDevice = perDevice
    }

    func open(_ id: SessionID, _ session: Session, now: UInt64) {
        state.withLock { s in
            if now != s.lastSweep {
                s.sessions = s.sessions.filter { $0.value.expiresAt > now }
                s.lastSweep = now
            }
            let mine = s.sessions.filter { $0.value.device == session.device }.sorted { $0.value.expiresAt < $1.value.expiresAt }
            for (old, _) in mine.prefix(max(0, mine.count - perDevice + 1)) { s.sessions[old] = nil }
            s.sessions[id] = session
        }
    }

    /// The session, if open and not expired at `now`.
    func session(_ id: SessionID, now: UInt64) -> Session? {
        state.withLock { s in
            guard let session = s.sessions[id] else { return nil }
            guard session.expiresAt > now else {
                s.sessions[id] = nil
                return nil
            }
            return session
        }
    }

    /// Closes every session of `device` (after its revocation).
    func close(device: DeviceID) {
        state.withLock { s in s.sessions = s.sessions.filter { $0.value.device != device } }
    }

    var count: Int { state.withLock { $0.sessions.count } }
}
