// A decoder of the ESC/POS a receipt printer receives, for tests: ESC @, ESC d n, GS V m [n] and
// GS v 0 raster bands, which it stacks into one 1-bit image. Anything else is an error (a test
// must know every byte the agent sends to a printer).
export interface DecodedReceipt {
  width: number;
  height: number;
  bits: Uint8Array; // 1 = black
  commands: string[];
  cut: boolean;
}

export function decodeEscPos(buf: Uint8Array): DecodedReceipt {
  const commands: string[] = [];
  const bands: { width: number; rows: number; data: Uint8Array }[] = [];
  let cut = false;
  let i = 0;
  const need = (n: number) => {
    if (i + n > buf.length) throw new Error(`truncated command at byte ${i}`);
  };
  while (i < buf.length) {
    const b = buf[i]!;
    if (b === 0x1b && buf[i + 1] === 0x40) {
      commands.push('ESC @');
      i += 2;
    } else if (b === 0x1b && buf[i + 1] === 0x64) {
      need(3);
      commands.push(`ESC d ${buf[i + 2]}`);
      i += 3;
    } else if (b === 0x1d && buf[i + 1] === 0x56) {
      need(3);
      const m = buf[i + 2]!;
      const len = m === 65 || m === 66 ? 4 : 3;
      need(len);
      commands.push(`GS V ${m}`);
      cut = true;
      i += len;
    } else if (b === 0x1d && buf[i + 1] === 0x76 && buf[i + 2] === 0x30) {
      need(8);
      const mode = buf[i + 3]!;
      if (mode !== 0 && mode !== 48) throw new Error(`GS v 0: scaled mode ${mode} not expected`);
      const x = buf[i + 4]! | (buf[i + 5]! << 8);
      const y = buf[i + 6]! | (buf[i + 7]! << 8);
      need(8 + x * y);
      bands.push({ width: x * 8, rows: y, data: buf.slice(i + 8, i + 8 + x * y) });
      commands.push(`GS v 0 ${x * 8}x${y}`);
      i += 8 + x * y;
    } else throw new Error(`unknown byte 0x${b.toString(16)} at ${i}`);
  }
  const width = bands[0]?.width ?? 0;
  if (bands.some((bd) => bd.width !== width)) throw new Error('raster bands of different widths');
  const height = bands.reduce((n, bd) => n + bd.rows, 0);
  const bits = new Uint8Array(width * height);
  let row = 0;
  for (const bd of bands) {
    for (let r = 0; r < bd.rows; r++, row++)
      for (let c = 0; c < width; c++) bits[row * width + c] = (bd.data[r * (width / 8) + (c >> 3)]! >> (7 - (c & 7))) & 1;
  }
  return { width, height, bits, commands, cut };
}

/** Black pixels in rows [top, top + rows). */
export const inkIn = (img: { width: number; bits: Uint8Array }, top: number, rows: number) => {
  let n = 0;
  for (let i = top * img.width; i < (top + rows) * img.width; i++) n += img.bits[i] ?? 0;
  return n;
};
