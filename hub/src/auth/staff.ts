// Staff accounts: who they are and the cookie their session rides on. The flows are in
// service.ts.
import type { StaffRole } from '@tram/contracts';

export type Role = StaffRole;

export interface Staff {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  wardIds: number[];
  /** Wards whose unanswered calls ring this officer at T1 (their wards list one of ours as a neighbour). */
  neighbourOf: number[];
}

export const SESSION_COOKIE = 'tram_session';

export { createStaff } from './service.ts';
