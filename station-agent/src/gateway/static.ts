// Serves the built kiosk page; paths are resolved inside the UI folder only.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
};

/** `page`: rewrites the kiosk page (index.html) as it is served, e.g. to hand it the agent key. */
export async function serveFile(uiDir: string, urlPath: string, res: ServerResponse, page?: (html: string) => string): Promise<void> {
  const rel = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  let file = join(uiDir, rel);
  if (!file.startsWith(uiDir + sep) && file !== uiDir) {
    res.writeHead(404).end();
    return;
  }
  if (rel === '' || !extname(rel)) file = join(uiDir, 'index.html'); // the kiosk is one page
  try {
    const isPage = file.endsWith('index.html');
    const raw = await readFile(file);
    const body = isPage && page ? Buffer.from(page(raw.toString('utf8'))) : raw;
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': isPage ? 'no-store' : 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}
