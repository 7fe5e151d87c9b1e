// ESC/POS for a thermal receipt printer: initialise (ESC @), the receipt as raster bit images
// (GS v 0, in bands of at most 256 rows), feed and partial cut (GS V 66 n). Source: Epson
// "ESC/POS Application Programming Guide" / command reference, GS v 0 and GS V.
import type { Bitmap } from './raster.ts';

/** 58 mm paper: 384 dots; 80 mm: 576 dots (203 dpi heads). */
export const PAPER_DOTS = { '58mm': 384, '80mm': 576 } as const;

/** GS v 0 m xL xH yL yH d1…dk: one raster band, 1 = print (black), MSB = leftmost pixel. */
export function rasterBand(bm: Bitmap, top: number, rows: number): Buffer {
  const bytesPerRow = Math.ceil(bm.width / 8);
  const out = Buffer.alloc(8 + bytesPerRow * rows);
  out.set([0x1d, 0x76, 0x30, 0x00, bytesPerRow & 0xff, bytesPerRow >> 8, rows & 0xff, rows >> 8]);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < bm.width; c++) if (bm.bits[(top + r) * bm.width + c]) out[8 + r * bytesPerRow + (c >> 3)]! |= 0x80 >> (c & 7);
  return out;
}

export function receiptJob(bm: Bitmap, band = 256): Buffer {
  const parts: Buffer[] = [Buffer.from([0x1b, 0x40])];
  for (let top = 0; top < bm.height; top += band) parts.push(rasterBand(bm, top, Math.min(band, bm.height - top)));
  parts.push(Buffer.from([0x1b, 0x64, 0x04])); // ESC d 4: feed 4 lines
  parts.push(Buffer.from([0x1d, 0x56, 0x42, 0x00])); // GS V 66 0: feed and partial cut
  return Buffer.concat(parts);
}
