// Staff login/logout with an HttpOnly session cookie.
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Sql } from '../db/client.ts';
import type { HubEnv } from '../http/env.ts';
import { errorJson } from '../http/errors.ts';
import { valid } from '../http/validate.ts';
import { loginBody, type StaffView } from '@tram/contracts';
import { requireStaff } from './middleware.ts';
import { login, logout, SESSION_COOKIE } from './staff.ts';
import { audit } from './audit.ts';

export function authRoutes(sql: Sql, o: { sessionHours: number; secureCookie: boolean }) {
  return new Hono<HubEnv>()
    .post('/login', valid('json', loginBody), async (c) => {
      const { username, password } = c.req.valid('json');
      const r = await login(sql, username, password, o.sessionHours);
      if (!r) return errorJson(c, 401, 'bad_credentials', 'Wrong username or password');
      setCookie(c, SESSION_COOKIE, r.token, {
        httpOnly: true, sameSite: 'Strict', path: '/', secure: o.secureCookie, maxAge: o.sessionHours * 3600,
      });
      await audit(sql, { actor: `staff:${r.staff.username}`, action: 'login', subject: `staff:${r.staff.username}` });
      return c.json({ staff: r.staff satisfies StaffView });
    })
    .post('/logout', async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await logout(sql, token);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ ok: true });
    })
    .get('/me', requireStaff(sql, ['police', 'command', 'clinician', 'admin']), (c) => c.json({ staff: c.get('staff') satisfies StaffView }));
}
