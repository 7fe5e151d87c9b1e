// `npm run agent -- enrol <code>`: exchanges the one-time code an administrator was shown for
// this station's credential, and stores it in a file only the agent's user can read (0600).
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EnrolView, ErrorBody } from '@tram/contracts';

export async function enrolStation(o: { hubUrl: string; code: string; credentialFile: string }): Promise<EnrolView> {
  let r: Response;
  try {
    r = await fetch(`${o.hubUrl}/api/station/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: o.code }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (e) {
    throw new Error(`Không kết nối được hub / cannot reach the hub at ${o.hubUrl}: ${(e as Error).message}`);
  }
  const body = (await r.json().catch(() => null)) as (EnrolView & Partial<ErrorBody>) | null;
  if (r.status !== 201 || !body?.credential)
    throw new Error(`Mã đăng ký bị từ chối / enrolment refused (${r.status}): ${body?.error?.message ?? 'no answer'}`);
  mkdirSync(dirname(o.credentialFile), { recursive: true });
  const tmp = `${o.credentialFile}.${process.pid}.tmp`;
  writeFileSync(tmp, `${body.credential}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600); // whatever the umask
  renameSync(tmp, o.credentialFile);
  return body;
}
