// Staff password hashing with scrypt (node:crypto); the format carries its parameters, so hashes
// made with older (weaker) parameters still verify and are replaced on the next good login.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (pw: string, salt: Buffer, len: number, o: ScryptOptions) =>
  new Promise<Buffer>((res, rej) => scryptCb(pw, salt, len, o, (e, k) => (e ? rej(e) : res(k))));

// OWASP's scrypt floor: N=2^17, r=8, p=1 (128 MiB per hash).
export const SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const LEN = 32;
// node's default maxmem (32 MiB) refuses N=2^17; allow what the parameters need, with headroom.
const maxmemFor = (N: number, r: number) => 128 * N * r * 2;

// Each hash holds 128 MiB and a core for a while: at most two at once, the rest wait their turn,
// so a burst of logins queues instead of exhausting the machine.
const SLOTS = 2;
let running = 0;
const waiting: (() => void)[] = [];
async function inSlot<T>(f: () => Promise<T>): Promise<T> {
  if (running >= SLOTS) await new Promise<void>((r) => waiting.push(r));
  else running++;
  try {
    return await f();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = SCRYPT;
  const salt = randomBytes(16);
  const key = await inSlot(() => scrypt(password, salt, LEN, { N, r, p, maxmem: maxmemFor(N, r) }));
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parse(stored: string) {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, rr, pp, salt, key] = parts as [string, string, string, string, string, string];
  const [N, r, p] = [Number(n), Number(rr), Number(pp)];
  // Bounds: a stored hash must not make the hub spend more than the current parameters.
  if (!Number.isInteger(N) || N < 2 || N > SCRYPT.N || (N & (N - 1)) !== 0) return null;
  if (r !== SCRYPT.r || p !== SCRYPT.p) return null;
  return { N, r, p, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const h = parse(stored);
  if (!h || h.key.length === 0) return false;
  const got = await inSlot(() => scrypt(password, h.salt, h.key.length, { N: h.N, r: h.r, p: h.p, maxmem: maxmemFor(h.N, h.r) }));
  return timingSafeEqual(h.key, got);
}

/** True when a (verified) hash was made with weaker parameters than today's. */
export const needsRehash = (stored: string) => parse(stored)?.N !== SCRYPT.N;
