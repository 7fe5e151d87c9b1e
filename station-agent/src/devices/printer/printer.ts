// The receipt printer's port lifecycle: opens the serial port for one job, writes it, waits
// for the bytes to drain and closes (a thermal printer needs no session). 8N1 at the configured
// rate (most ESC/POS serial printers: 9600 or 19200 baud, hardware flow control off).
import { SerialPort } from 'serialport';
import { receiptJob, PAPER_DOTS } from './escpos.ts';
import { renderLines } from './raster.ts';
import { receiptFooter, receiptLines, type ReceiptInput } from './receipt.ts';
import { qrBitmap, stack } from './qr-raster.ts';

export interface PrinterConfig {
  path: string;
  baudRate?: number;
  paper?: keyof typeof PAPER_DOTS;
}

export function receiptBytes(r: ReceiptInput, paper: keyof typeof PAPER_DOTS = '58mm') {
  const width = PAPER_DOTS[paper];
  const head = renderLines(receiptLines(r), width);
  const qr = r.qr ? qrBitmap(r.qr, width) : null;
  const foot = renderLines(receiptFooter(r), width);
  const bitmap = stack(head.bitmap, ...(qr ? [qr] : []), foot.bitmap);
  const below = head.bitmap.height + (qr?.height ?? 0);
  const layout = [...head.layout, ...foot.layout.map((l) => ({ ...l, top: l.top + below }))];
  return { job: receiptJob(bitmap), bitmap, layout, qr: qr ? { top: head.bitmap.height, height: qr.height } : null };
}

export async function printReceipt(cfg: PrinterConfig, r: ReceiptInput): Promise<{ bytes: number }> {
  const { job } = receiptBytes(r, cfg.paper);
  const port = new SerialPort({
    path: cfg.path,
    baudRate: cfg.baudRate ?? 19200,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    autoOpen: false,
  });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  try {
    await new Promise<void>((res, rej) => port.write(job, (e) => (e ? rej(e) : res())));
    await new Promise<void>((res, rej) => port.drain((e) => (e ? rej(e) : res())));
  } finally {
    await new Promise<void>((res) => port.close(() => res()));
  }
  return { bytes: job.length };
}
