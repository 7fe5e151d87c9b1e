// High-entropy secrets (session tokens, station credentials) are stored as SHA-256 digests only.
import { createHash, randomBytes } from 'node:crypto';

export const newSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const digest = (secret: string) => createHash('sha256').update(secret).digest();
