import Synchronization

/// Bytes of request bodies being read before their signature could be checked (issue 14,
/// finding 4): a body is reserved at its announced length (or its route's limit when it announces
/// none) before it is read and released once it is verified or refused. Past `capacity`, a request
/// is answered 503 at once instead of being read, so that clients whose headers passed every check
/// but whose bodies are not yet verified hold at most `capacity` bytes of the relay's memory.
final class UnverifiedBodyBudget: Sendable {
    private let inFlight = Mutex(0)
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Reserves `bytes`; false when that would pass the capacity.
    func reserve(_ bytes: Int) -> Bool {
        inFlight.withLock { used in
            guard bytes <= capacity - used else { return false }
            used += bytes
            return true
        }
    }

    func release(_ bytes: Int) {
        inFlight.withLock { $0 -= bytes }
    }

    /// Bytes reserved now (tests, metrics).
    var reserved: Int { inFlight.withLock { $0 } }
}
