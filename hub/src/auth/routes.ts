// Staff login/logout with an HttpOnly session cookie.
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { clientAddress } from '../http/rate-limit.ts';
import { loginBody, passwordChangeBody, type StaffView } from '@tram/contracts';
import { requireStaff } from './middleware.ts';
import { changePassword, login, logout } from './service.ts';
import { SESSION_COOKIE } from './staff.ts';

export function authRoutes(d: HubDeps) {
  const hours = d.config.staffSessionHours;
  return new Hono<HubEnv>()
    .post('/login', valid('json', loginBody), async (c) => {
      const { username, password } = c.req.valid('json');
      const r = await login(d, username, password, clientAddress(c));
      if (!r.ok) {
        if (r.retryAfterS) c.header('Retry-After', String(r.retryAfterS));
        return refuse(c, r);
      }
      setCookie(c, SESSION_COOKIE, r.value.token, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        secure: d.config.cookieSecure,
        maxAge: hours * 3600,
      });
      return c.json({ staff: r.value.staff satisfies StaffView });
    })
    .post('/password', valid('json', passwordChangeBody), async (c) => {
      const { username, password, newPassword } = c.req.valid('json');
      const r = await changePassword(d, username, password, newPassword, clientAddress(c));
      if (!r.ok) {
        if (r.retryAfterS) c.header('Retry-After', String(r.retryAfterS));
        return refuse(c, r);
      }
      return c.json(r.value);
    })
    .post('/logout', async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await logout(d, token);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ ok: true });
    })
    .get('/me', requireStaff(d, ['police', 'command', 'clinician', 'admin', 'medic']), (c) =>
      c.json({ staff: c.get('staff') satisfies StaffView }),
    );
}
