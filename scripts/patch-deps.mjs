// Run by `npm install` (the root package's postinstall) and by the hub's Dockerfile: mends a defect
// in a dependency that its newest release still has. Plain Node, no packages: it runs before
// anything else is usable. Each mend checks the exact text it replaces, so a release that changed
// it fails the install loudly instead of leaving the defect back in silently.
//
// postgres (postgres.js) 3.4.9, porsager/postgres#1208 (also #1066, #1154): a write smaller than
// 1 KiB is sent on the next setImmediate. When the server closes the connection first (a backend
// terminated, a restart, a failover), `closed()` sets the socket to null; postgres.js's own
// ROLLBACK for the transaction that just failed is then written to that null socket from the
// immediate, a TypeError nothing can catch, and the hub process dies. The mend: a write on a
// closed connection fails its query with CONNECTION_CLOSED, and closing drops the pending write
// and its timer (left set, no later write on a reconnected socket would ever be sent).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARK = 'tram: porsager/postgres#1208';

export const mends = [
  {
    package: 'postgres',
    versions: ['3.4.9'],
    files: ['src/connection.js', 'cjs/src/connection.js', 'cf/src/connection.js'],
    edits: [
      {
        from: '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)\n',
        to:
          '  function nextWrite(fn) {\n' +
          `    if (!socket) { // ${MARK}: closed with this write pending\n` +
          '      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n' +
          '      chunk = nextWriteTimer = null\n' +
          "      error(Errors.connection('CONNECTION_CLOSED', options))\n" +
          '      return false\n' +
          '    }\n' +
          '    const x = socket.write(chunk, fn)\n',
        count: 1,
      },
      {
        // in terminate() and closed()
        from: '\n    clearImmediate(nextWriteTimer)\n',
        to: `\n    clearImmediate(nextWriteTimer), chunk = nextWriteTimer = null // ${MARK}\n`,
        count: 2,
      },
    ],
  },
];

const occurrences = (s, sub) => s.split(sub).length - 1;

/** Mends what is installed under `root`/node_modules; what could not be mended, one line each. */
export function mendAll(root) {
  const problems = [];
  for (const m of mends) {
    const dir = join(root, 'node_modules', m.package);
    if (!existsSync(join(dir, 'package.json'))) continue; // not installed here (e.g. `npm ci -w` of a workspace without it)
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const f of m.files) {
      const path = join(dir, f);
      if (!existsSync(path)) continue;
      const text = readFileSync(path, 'utf8');
      if (text.includes(MARK)) continue; // already mended
      const wrong = m.edits.find((e) => occurrences(text, e.from) !== e.count);
      if (!m.versions.includes(version) || wrong) {
        problems.push(
          `${m.package}@${version} ${f}: ${wrong ? 'the text to mend is not as expected' : 'a release this mend was not made for'}`,
        );
        continue;
      }
      writeFileSync(
        path,
        m.edits.reduce((t, e) => t.split(e.from).join(e.to), text),
      );
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = mendAll(join(import.meta.dirname, '..'));
  for (const p of problems) console.error(`patch-deps: ${p}`);
  if (problems.length) {
    console.error('patch-deps: if that release fixes the defect, remove its mend from scripts/patch-deps.mjs; otherwise update the mend.');
    process.exit(1);
  }
}
