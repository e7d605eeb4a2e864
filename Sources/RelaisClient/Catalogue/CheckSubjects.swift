/// What a failed check is about, for `Message.damaged`, `Message.relayMalformed` and
/// `Message.demoCheck`: each language names them in its own file, in the message's `switch`.

/// A part of this profile that failed its own check.
public enum LocalPart: Sendable, Equatable, CaseIterable {
    case identityKey, organisationKey, prekey, logKey, profileRelayURL, profileOtherDevice, referralsFormat, referralsKey
}

/// Something the relay sent that is not what the contract describes.
public enum RelayItem: Sendable, Equatable, CaseIterable {
    case operatorKey, sessionAnswer, invite, pendingEnrolment, envelopeID, logEntry, proofHash, signedObject, deviceStatus, deviceEntry,
         prekey, keyPackage, keyHolderDevice, keyHolderKey, inboxEntry
}

/// A step of `relais demo` (and the load tool) that did not go as the relay promised.
public enum DemoCheck: Sendable, Equatable, CaseIterable {
    case associationMissing, envelopeMissing, pendingMissing, deviceKeyChanged, sessionNeedsIdentity, inviteRole
}
