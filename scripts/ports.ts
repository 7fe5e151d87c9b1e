// Free loopback ports for servers started by scripts and tests.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { LivekitOptions } from '../media/livekit.ts';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Options for a LiveKit of one's own: three free loopback ports and a fresh API secret. */
export async function livekitOnFreePorts(o: { apiKey: string; webhookUrl: string; workDir: string }): Promise<LivekitOptions> {
  return {
    ...o,
    port: await freePort(),
    rtcTcpPort: await freePort(),
    rtcUdpPort: await freePort(),
    apiSecret: randomBytes(24).toString('base64url'),
  };
}
