import Foundation
import RelaisCore

/// The guide's minor path on this device: a referral about a minor or an alleged minor goes on
/// only when the child-protection report was made (a declaration here for the same case, or a
/// report made outside Relais and recorded).
extension LocalDevice {
    /// `ReferralRules.minorPath` with what this device knows; throws the guide's notice when the
    /// sender must report first. `plan` calls it before anything is resolved or sealed.
    func requireMinorPath(_ referral: Referral) throws {
        let path = ReferralRules.minorPath(kind: referral.kind, minorStatus: referral.person.minorStatus,
                                           subjectPseudonym: referral.person.subjectPseudonym,
                                           declaredSubjects: declaredSubjects, outsideReportRecorded: false)
        if case .stopAndReport = path {
            throw LocalError.consent("""
                cette orientation concerne une personne mineure (ou se disant mineure) : elle ne part qu'après le signalement.
                \(Hotlines.minorNotice)
                Faites la déclaration de protection de l'enfance pour cette situation (relais declare --case), puis renvoyez.
                """)
        }
    }
}
