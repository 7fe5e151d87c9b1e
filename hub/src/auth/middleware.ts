// Authentication of the two kinds of caller: staff (session cookie) and stations (credential header).
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { getCookie } from 'hono/cookie';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { errorJson } from '../http/errors.ts';
import { SESSION_COOKIE, type Role } from './staff.ts';
import { staffBySession } from './service.ts';
import { stationByCredential } from '../stations/service.ts';

type Gate = (c: Context<HubEnv>) => Promise<Response | null>;

// 401 is for a caller we do not know; one we know but whose kind may not use the route gets 403.
const staffGate =
  (d: HubDeps, roles: Role[]): Gate =>
  async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    const staff = token ? await staffBySession(d.sql, token) : null;
    if (!staff) {
      if (await stationByCredential(d.sql, c.req.header('authorization')))
        return errorJson(c, 403, 'forbidden', 'Stations cannot use this route');
      return errorJson(c, 401, 'unauthorized', 'Log in first');
    }
    if (!roles.includes(staff.role)) return errorJson(c, 403, 'forbidden', 'Your role cannot do this');
    c.set('staff', staff);
    return null;
  };

const stationGate =
  (d: HubDeps): Gate =>
  async (c) => {
    const station = await stationByCredential(d.sql, c.req.header('authorization'));
    if (!station) {
      const token = c.req.header('authorization') ? undefined : getCookie(c, SESSION_COOKIE);
      if (token && (await staffBySession(d.sql, token))) return errorJson(c, 403, 'forbidden', 'Only a station can use this route');
      return errorJson(c, 401, 'unauthorized', 'Unknown or missing station credential');
    }
    c.set('station', station);
    return null;
  };

const gated = (gate: Gate) => createMiddleware<HubEnv>(async (c, next) => (await gate(c)) ?? next());

export const requireStaff = (d: HubDeps, roles: Role[]) => gated(staffGate(d, roles));
export const requireStation = (d: HubDeps) => gated(stationGate(d));

/** A station (credential header) or staff of the given roles. */
export const requireParty = (d: HubDeps, roles: Role[]) => {
  const asStation = stationGate(d),
    asStaff = staffGate(d, roles);
  return gated((c) => (c.req.header('authorization')?.startsWith('Station ') ? asStation(c) : asStaff(c)));
};
