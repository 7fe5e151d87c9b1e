// payOS payment notifications (webhook): the signature is HMAC-SHA256 with the checksum key over
// the `data` object's keys in sorted order as `key=value&key=value` (null/undefined as an empty
// string, arrays and objects as JSON). Source: payOS docs, "Xác thực dữ liệu webhook".
import { createHmac, timingSafeEqual } from 'node:crypto';

export function payosSignaturePayload(data: Record<string, unknown>): string {
  return Object.keys(data)
    .sort()
    .map((k) => {
      const v = data[k];
      const s =
        v === null || v === undefined || v === 'null' || v === 'undefined' ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
      return `${k}=${s}`;
    })
    .join('&');
}

export const payosSign = (data: Record<string, unknown>, checksumKey: string): string =>
  createHmac('sha256', checksumKey).update(payosSignaturePayload(data)).digest('hex');

export function payosVerify(data: Record<string, unknown>, signature: string, checksumKey: string): boolean {
  const want = Buffer.from(payosSign(data, checksumKey), 'hex');
  const got = Buffer.from(signature, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}
