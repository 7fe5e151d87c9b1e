// A QR code as printer dots (qrcode-generator, MIT): each module a square of `scale` dots, with the
// four-module quiet zone the standard asks for, centred on the paper's width.
import qrcode from 'qrcode-generator';
import type { Bitmap } from './raster.ts';

export function qrBitmap(text: string, width: number, scale = 6): Bitmap {
  const q = qrcode(0, 'M');
  q.addData(text, 'Byte');
  q.make();
  const n = q.getModuleCount();
  const side = (n + 8) * scale;
  if (side > width) return qrBitmap(text, width, scale - 1);
  const left = Math.floor((width - side) / 2);
  const bits = new Uint8Array(width * side);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (q.isDark(r, c))
        for (let dy = 0; dy < scale; dy++)
          bits.fill(1, ((r + 4) * scale + dy) * width + left + (c + 4) * scale, ((r + 4) * scale + dy) * width + left + (c + 5) * scale);
  return { width, height: side, bits };
}

/** One bitmap under another (same width). */
export function stack(...parts: Bitmap[]): Bitmap {
  const width = parts[0]!.width;
  const height = parts.reduce((h, p) => h + p.height, 0);
  const bits = new Uint8Array(width * height);
  let at = 0;
  for (const p of parts) {
    bits.set(p.bits, at);
    at += p.bits.length;
  }
  return { width, height, bits };
}
