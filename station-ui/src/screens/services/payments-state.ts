// Payments the hub reported as received (`payment.paid`, relayed by the agent): the VietQR screen
// turns to "paid" the moment the bank's notification reaches the hub.
import { createSignal } from 'solid-js';

const [paidIds, setPaidIds] = createSignal<ReadonlySet<string>>(new Set());
export const isPaid = (id: string) => paidIds().has(id);
export function onPaymentPaid(e: { id: string }) {
  setPaidIds((s) => new Set([...s, e.id]));
}
