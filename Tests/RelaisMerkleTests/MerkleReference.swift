import RelaisCrypto

/// RFC 9162 §2.1.1–2.1.4 written literally, recursion and all, to cross-check `MerkleTree`.
/// Deliberately slow and independent: it hashes with `SHA256` directly and shares no code with
/// RelaisCore. `d` is the list of entries D[n]; slices keep the RFC's D[0:k] / D[k:n] notation.
enum MerkleReference {
    /// The largest power of two smaller than `n` (n > 1): the RFC's k.
    static func k(_ n: Int) -> Int {
        var k = 1
        while k * 2 < n { k *= 2 }
        return k
    }

    /// MTH(D[n]).
    /// MTH({}) = SHA-256(); MTH({d(0)}) = SHA-256(0x00 || d(0));
    /// MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])).
    static func mth(_ d: ArraySlice<[UInt8]>) -> [UInt8] {
        let n = d.count
        if n == 0 { return SHA256.hash([]) }
        if n == 1 { return SHA256.hash([0x00] + d.first!) }
        let k = k(n)
        return SHA256.hash([0x01] + mth(d.prefix(k)) + mth(d.dropFirst(k)))
    }

    /// PATH(m, D[n]), the inclusion proof of entry m.
    /// PATH(0, {d(0)}) = {};
    /// PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])      for m < k;
    /// PATH(m, D[n]) = PATH(m - k, D[k:n]) : MTH(D[0:k])  for m >= k.
    static func path(_ m: Int, _ d: ArraySlice<[UInt8]>) -> [[UInt8]] {
        let n = d.count
        if n == 1 { return [] }
        let k = k(n)
        if m < k { return path(m, d.prefix(k)) + [mth(d.dropFirst(k))] }
        return path(m - k, d.dropFirst(k)) + [mth(d.prefix(k))]
    }

    /// PROOF(m, D[n]) = SUBPROOF(m, D[n], true), the consistency proof from size m.
    static func proof(_ m: Int, _ d: ArraySlice<[UInt8]>) -> [[UInt8]] {
        subproof(m, d, true)
    }

    /// SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])};
    /// SUBPROOF(m, D[n], b) = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])          for m <= k;
    /// SUBPROOF(m, D[n], b) = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])  for m > k.
    static func subproof(_ m: Int, _ d: ArraySlice<[UInt8]>, _ b: Bool) -> [[UInt8]] {
        let n = d.count
        if m == n { return b ? [] : [mth(d)] }
        let k = k(n)
        if m <= k { return subproof(m, d.prefix(k), b) + [mth(d.dropFirst(k))] }
        return subproof(m - k, d.dropFirst(k), false) + [mth(d.prefix(k))]
    }
}
