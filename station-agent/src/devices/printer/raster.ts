// Text to a 1-bit raster in a Vietnamese-capable font, without any native code: glyph outlines
// from the TrueType font (opentype.js), curves flattened to lines, filled with the nonzero
// winding rule sampled at pixel centres. Receipt printers print only images reliably in
// Vietnamese (their code pages lack most of the diacritics), so every receipt is an image.
import { readFileSync } from 'node:fs';
import opentype from 'opentype.js';

export const NOTO_SANS = '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf';
export const NOTO_SANS_BOLD = '/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf';

/** One bit per pixel, rows of `width` pixels, 1 = black. */
export interface Bitmap {
  width: number;
  height: number;
  bits: Uint8Array; // width * height, 0 or 1
}

const fonts = new Map<string, opentype.Font>();
export function loadFont(path: string): opentype.Font {
  let f = fonts.get(path);
  if (!f) {
    const b = readFileSync(path);
    f = opentype.parse(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    fonts.set(path, f);
  }
  return f;
}

type Edge = [number, number, number, number];

function edgesOf(path: opentype.Path): Edge[] {
  const edges: Edge[] = [];
  let x = 0,
    y = 0,
    sx = 0,
    sy = 0;
  const line = (x1: number, y1: number) => {
    if (y !== y1) edges.push([x, y, x1, y1]);
    x = x1;
    y = y1;
  };
  for (const c of path.commands) {
    if (c.type === 'M') {
      x = sx = c.x;
      y = sy = c.y;
    } else if (c.type === 'L') line(c.x, c.y);
    else if (c.type === 'Q') {
      const [x0, y0] = [x, y];
      for (let i = 1; i <= 8; i++) {
        const t = i / 8,
          u = 1 - t;
        line(u * u * x0 + 2 * u * t * c.x1 + t * t * c.x, u * u * y0 + 2 * u * t * c.y1 + t * t * c.y);
      }
    } else if (c.type === 'C') {
      const [x0, y0] = [x, y];
      for (let i = 1; i <= 12; i++) {
        const t = i / 12,
          u = 1 - t;
        line(
          u * u * u * x0 + 3 * u * u * t * c.x1 + 3 * u * t * t * c.x2 + t * t * t * c.x,
          u * u * u * y0 + 3 * u * u * t * c.y1 + 3 * u * t * t * c.y2 + t * t * t * c.y,
        );
      }
    } else if (c.type === 'Z') line(sx, sy);
  }
  return edges;
}

/** Fills `path` into `bm` (nonzero winding, sampled at pixel centres). */
export function fillPath(bm: Bitmap, path: opentype.Path) {
  const edges = edgesOf(path);
  if (!edges.length) return;
  let minY = Infinity,
    maxY = -Infinity;
  for (const e of edges) {
    minY = Math.min(minY, e[1], e[3]);
    maxY = Math.max(maxY, e[1], e[3]);
  }
  for (let row = Math.max(0, Math.floor(minY)); row < Math.min(bm.height, Math.ceil(maxY)); row++) {
    const yc = row + 0.5;
    const xs: [number, number][] = [];
    for (const [x0, y0, x1, y1] of edges) {
      if ((y0 <= yc && y1 > yc) || (y1 <= yc && y0 > yc)) xs.push([x0 + ((yc - y0) * (x1 - x0)) / (y1 - y0), y1 > y0 ? 1 : -1]);
    }
    xs.sort((a, b) => a[0] - b[0]);
    let wind = 0;
    for (let i = 0; i < xs.length - 1; i++) {
      wind += xs[i]![1];
      if (wind === 0) continue;
      const from = Math.max(0, Math.ceil(xs[i]![0] - 0.5));
      const to = Math.min(bm.width - 1, Math.floor(xs[i + 1]![0] - 0.5));
      for (let col = from; col <= to; col++) bm.bits[row * bm.width + col] = 1;
    }
  }
}

export interface Line {
  text: string;
  size?: number; // pixels (em)
  bold?: boolean;
  align?: 'left' | 'center' | 'right';
}

/** Lays out lines of text `width` pixels wide (wrapping at spaces) and renders them to a bitmap. */
export function renderLines(
  lines: Line[],
  width: number,
  o: { regular?: string; bold?: string; margin?: number } = {},
): { bitmap: Bitmap; layout: { text: string; top: number; height: number }[] } {
  const margin = o.margin ?? 8;
  const laid: { text: string; font: opentype.Font; size: number; align: Line['align']; top: number; height: number }[] = [];
  let y = margin;
  for (const l of lines) {
    const font = loadFont(l.bold ? (o.bold ?? NOTO_SANS_BOLD) : (o.regular ?? NOTO_SANS));
    const size = l.size ?? 24;
    const height = Math.ceil(size * 1.35);
    const words = l.text.split(' ');
    let current = '';
    const flush = () => {
      laid.push({ text: current, font, size, align: l.align, top: y, height });
      y += height;
      current = '';
    };
    for (const w of words) {
      const tryText = current ? `${current} ${w}` : w;
      if (current && font.getAdvanceWidth(tryText, size) > width - 2 * margin) {
        flush();
        current = w;
      } else current = tryText;
    }
    flush();
  }
  const height = y + margin;
  const bitmap: Bitmap = { width, height, bits: new Uint8Array(width * height) };
  for (const l of laid) {
    const w = l.font.getAdvanceWidth(l.text, l.size);
    const x = l.align === 'center' ? (width - w) / 2 : l.align === 'right' ? width - margin - w : margin;
    fillPath(bitmap, l.font.getPath(l.text, x, l.top + l.size, l.size));
  }
  return { bitmap, layout: laid.map((l) => ({ text: l.text, top: l.top, height: l.height })) };
}
