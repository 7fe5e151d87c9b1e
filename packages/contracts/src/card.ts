// What the kiosk page is told about the ID card by the station agent (over /agent/ws), and the
// access data it sends back.
export interface VerifiedCitizen {
  fullName: string;
  idNumber: string;
}
export interface IdentityChecks {
  access: 'BAC' | 'PACE';
  passiveAuthentication: 'passed';
  activeAuthentication: 'passed' | 'not_supported';
}

export type CardState =
  | { state: 'no_reader' }
  | { state: 'absent' }
  | { state: 'needs_access' }
  | { state: 'reading' }
  | { state: 'verified'; citizen: VerifiedCitizen; checks: IdentityChecks }
  | { state: 'refused'; reason: 'access_denied' | 'verification_failed' | 'read_failed' | 'hub_unreachable'; failures?: string[] };

/** Access data typed on the kiosk: the CAN (on the CCCD, the last 6 digits of the ID number). */
export type CardAccess = { can: string } | { idNumber: string; dateOfBirth: string; dateOfExpiry: string };
