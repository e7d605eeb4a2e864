import RelaisCore

extension RefusalText {
    /// The French reading of a refusal code, or nil to show the relay's message. The refusals of
    /// the guide's rules (`CoverPolicy.Code`) keep the relay's message: it is French and names the rule.
    static func explanationFr(status: Int, code: String) -> String? {
        if CoverPolicy.Code(rawValue: code) != nil { return nil }
        switch (status, code) {
        case (413, "too_large"): return "la demande est plus grande que ce que le relais accepte"
        case (404, "not_found"): return "introuvable pour ce poste"
        case (403, "pending"): return "ce poste attend encore d'être approuvé par la personne qui l'a inscrit"
        case (429, "rate_limited"): return "trop de demandes ; réessayez dans un moment"
        case (503, _): return "le relais est occupé ou indisponible ; réessayez dans un moment"
        default: return nil
        }
    }
}
