// A public-service receipt or a payment receipt as printed lines (Vietnamese first); the status QR
// (if any) is printed under them, with its caption after it.
import type { Line } from './raster.ts';

export interface ReceiptInput {
  station?: string;
  title: string;
  receipt: string;
  promisedBy?: string;
  amount?: string;
  lines?: string[];
  /** The status QR's text (TRAM:<receipt>:<token>). */
  qr?: string;
  at: string;
}

export function receiptLines(r: ReceiptInput): Line[] {
  return [
    { text: 'TRẠM CÔNG DÂN', size: 30, bold: true, align: 'center' },
    ...(r.station ? [{ text: r.station, size: 20, align: 'center' as const }] : []),
    { text: r.title, size: 26, bold: true, align: 'center' },
    { text: `Số biên nhận: ${r.receipt}`, size: 24, bold: true },
    ...(r.promisedBy ? [{ text: `Hẹn trả kết quả: ${r.promisedBy}`, size: 22 }] : []),
    ...(r.amount ? [{ text: `Số tiền: ${r.amount}`, size: 22 }] : []),
    ...(r.lines ?? []).map((text) => ({ text, size: 20 })),
    { text: `Thời gian: ${r.at}`, size: 20 },
  ];
}

export function receiptFooter(r: ReceiptInput): Line[] {
  return [
    ...(r.qr ? [{ text: 'Quét mã này tại Trạm để tra cứu hồ sơ', size: 20, align: 'center' as const }] : []),
    { text: 'Cảm ơn quý khách. Xin giữ biên nhận này.', size: 20, align: 'center' as const },
  ];
}
