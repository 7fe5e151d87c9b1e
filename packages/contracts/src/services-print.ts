// The kiosk's printed receipts (the station agent renders them for the booth's thermal printer)
// and the status QR a receipt carries: `TRAM:<receipt>:<status token>`. The token is 16 random
// bytes (base64url), an HMAC of the receipt number with the hub's status key: whoever holds the
// paper can read the status of that receipt at a kiosk without the card, and nothing else.
import { z } from 'zod';

export const RECEIPT_NUMBER = /^TR-\d{6}-[A-Z0-9]{6}$/;
export const PAYMENT_REFERENCE = /^TRAM[A-Z0-9]{8}$/;
export const STATUS_TOKEN = /^[A-Za-z0-9_-]{22}$/;

/** The text of a receipt's status QR. */
export const statusQr = (receipt: string, token: string) => `TRAM:${receipt}:${token}`;

/** The receipt number and token in a scanned QR, or null for anything else. */
export function parseStatusQr(text: string): { receipt: string; token: string } | null {
  const m = /^TRAM:(TR-\d{6}-[A-Z0-9]{6}):([A-Za-z0-9_-]{22})$/.exec(text.trim());
  return m ? { receipt: m[1]!, token: m[2]! } : null;
}

/** `POST /api/services/status`: the status of a receipt by its token (no card needed). */
export const statusByReceiptBody = z.strictObject({
  receipt: z.string().regex(RECEIPT_NUMBER, 'Số biên nhận không đúng / Not a receipt number'),
  token: z.string().regex(STATUS_TOKEN, 'Mã trên biên nhận không đúng / Not a receipt code'),
});

/** `POST /agent/print`: one receipt for the booth's printer. */
export const printReceiptBody = z.strictObject({
  kind: z.enum(['submission', 'payment']),
  title: z.string().trim().min(1).max(120),
  receipt: z.string().refine((s) => RECEIPT_NUMBER.test(s) || PAYMENT_REFERENCE.test(s), 'a receipt number or payment reference'),
  promisedBy: z
    .string()
    .regex(/^\d{2}\/\d{2}\/\d{4}$/, 'dd/mm/yyyy')
    .optional(),
  amountVnd: z.number().int().positive().max(1_000_000_000).optional(),
  qr: z
    .string()
    .refine((s) => parseStatusQr(s) !== null, 'a status QR (TRAM:<receipt>:<token>)')
    .optional(),
  lines: z.array(z.string().trim().min(1).max(120)).max(6).default([]),
});
export type PrintReceiptBody = z.input<typeof printReceiptBody>;
