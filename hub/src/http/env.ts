// The Hono context every route sees: request id, logger, and who is calling.
import type { Logger } from 'pino';
import type { Staff } from '../auth/staff.ts';
import type { Station } from '../stations/store.ts';

export type HubEnv = {
  Variables: {
    requestId: string;
    /** The client's address (X-Forwarded-For only from a trusted proxy: client-address.ts). */
    clientAddress: string;
    log: Logger;
    staff: Staff;
    station: Station;
  };
};
