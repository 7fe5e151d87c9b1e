// The bill-lookup adapter (electricity, water, traffic fines, household health insurance): the hub
// asks BILL_LOOKUP_URL in the format of docs/services.md ("Bill-lookup adapter"); each utility or
// portal sits behind an adapter that speaks it.
import { z } from 'zod';

export const billLookupAnswer = z.object({
  customerName: z.string().max(200).optional(),
  bills: z
    .array(
      z.object({
        billId: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/),
        period: z.string().max(40),
        amountVnd: z.number().int().positive().max(1_000_000_000),
        description: z.string().max(200),
      }),
    )
    .max(50),
});
export type BillLookupAnswer = z.infer<typeof billLookupAnswer>;

export async function lookupBills(
  baseUrl: string,
  provider: string,
  customerCode: string,
): Promise<BillLookupAnswer | 'not_found' | 'unavailable'> {
  try {
    const r = await fetch(`${baseUrl}/bills/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider, customerCode }),
      signal: AbortSignal.timeout(8000),
    });
    if (r.status === 404) return 'not_found';
    if (!r.ok) return 'unavailable';
    const parsed = billLookupAnswer.safeParse(await r.json());
    return parsed.success ? parsed.data : 'unavailable';
  } catch {
    return 'unavailable';
  }
}
