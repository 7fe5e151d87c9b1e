// The Hono context every route sees: request id, logger, and who is calling.
import type { Logger } from 'pino';
import type { Staff } from '../auth/staff.ts';
import type { Station } from '../stations/store.ts';

export type HubEnv = {
  Variables: {
    requestId: string;
    log: Logger;
    staff: Staff;
    station: Station;
  };
};
