// The agent's print route: a validated receipt from the kiosk page (services-print.ts) becomes a
// ReceiptInput stamped with the agent's clock (Vietnam time) and goes to the printer, one job at a
// time (two jobs interleaved on one serial line would print garbage).
import type { PrintReceiptBody } from '@tram/contracts';
import { printReceipt, type PrinterConfig } from './printer.ts';
import type { ReceiptInput } from './receipt.ts';

const vnTime = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const vnd = new Intl.NumberFormat('vi-VN');

export function receiptInput(b: PrintReceiptBody, now = new Date()): ReceiptInput {
  return {
    title: b.title,
    receipt: b.receipt,
    ...(b.promisedBy ? { promisedBy: b.promisedBy } : {}),
    ...(b.amountVnd ? { amount: `${vnd.format(b.amountVnd)} đ` } : {}),
    ...(b.kind === 'payment' ? { lines: ['Đã thanh toán', ...(b.lines ?? [])] } : { lines: b.lines ?? [] }),
    ...(b.qr ? { qr: b.qr } : {}),
    at: vnTime.format(now),
  };
}

export function printQueue(cfg: PrinterConfig) {
  let last: Promise<unknown> = Promise.resolve();
  return (b: PrintReceiptBody): Promise<{ bytes: number }> => {
    const job = last.then(() => printReceipt(cfg, receiptInput(b)));
    last = job.catch(() => {});
    return job;
  };
}
