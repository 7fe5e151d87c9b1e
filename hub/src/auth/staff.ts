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
  districts: string[];
}

export const SESSION_COOKIE = 'tram_session';

export { createStaff } from './service.ts';
