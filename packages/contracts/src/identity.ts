// Names that cross app boundaries: who a participant is (LiveKit identities, timeline and audit
// actors), what an audit row is about, and the realtime topics events are published on.
// Participants are named by their human-readable code; topics always by database id, in a
// namespace of their own, so a station's code can never be mistaken for its id.

/** A LiveKit participant identity, a timeline `actor` or an audit `actor`. */
export const participant = {
  station: (code: string) => `station:${code}`,
  staff: (username: string) => `staff:${username}`,
} as const;

/** What an audit row is about. */
export const subject = {
  station: (code: string) => `station:${code}`,
  staff: (username: string) => `staff:${username}`,
  citizen: (id: string) => `citizen:${id}`,
  call: (id: string) => `call:${id}`,
  consult: (id: string) => `consult:${id}`,
} as const;

/** A realtime topic name: only the `topic` builders below make one. */
export type Topic = `topic/${string}`;

/** Realtime topics: the hub publishes each event on topics; a socket hears the topics it may. */
export const topic = {
  station: (stationId: string): Topic => `topic/station/${stationId}`,
  /** A ward's police: its own calls, and its neighbours' calls once they widen at T1. */
  ward: (wardId: number): Topic => `topic/ward/${wardId}`,
  session: (sessionId: string): Topic => `topic/session/${sessionId}`,
  patient: (citizenId: string): Topic => `topic/patient/${citizenId}`,
  /** One staff member: invitations to join a call. */
  staff: (staffId: string): Topic => `topic/staff/${staffId}`,
  clinicians: 'topic/clinicians',
  /** Command staff (the city police command centre, 113): every call; it rings them once escalated. */
  command: 'topic/command',
  /** Administrators: fleet health and its alerts. */
  admins: 'topic/admins',
  fhirSubscription: (subscriptionId: string): Topic => `topic/fhir-subscription/${subscriptionId}`,
} as const;

/**
 * Staff roles. `medic` is a 115 medical responder added to an emergency call (reads only the
 * health data handed to it); `commune_officer` reviews the commune's public-service submissions;
 * `building_manager` keeps a building's apartment-fee ledger.
 */
export const STAFF_ROLES = ['police', 'command', 'clinician', 'admin', 'medic', 'commune_officer', 'building_manager'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
