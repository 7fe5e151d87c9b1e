// The card flow as a resident meets it, through every real part: the kiosk page in Chromium, the
// station agent, real pcscd with the vpcd virtual reader, a virtual CCCD chip, the hub verifying
// the read, PostgreSQL. Insert -> type the 6 digits -> greeted by name with the checks -> remove
// -> session ended and nothing personal left on the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { freshDatabase } from '../../hub/test/support/env.ts';
import { screenshot } from '../../hub/test/support/browser.ts';
import type { RunningAgent } from '@tram/station-agent/gateway/server.ts';
import { VpcdCard } from '@tram/testing/card/vpcd-card.ts';
import { virtualCccd } from '@tram/testing/card/virtual-cccd.ts';
import { startCardKiosk } from './kiosk-support.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let agent: RunningAgent;
let browser: Browser;
let page: Page;
const vc = virtualCccd({ cardAccess: true });
const vpcdPort = Number(process.env.TRAM_TEST_VPCD_PORT ?? 35963);

let stack: Awaited<ReturnType<typeof startCardKiosk>>;
before(async () => {
  stack = await startCardKiosk('kiosk-id', vc.doc.cscaPem);
  ({ db, agent, browser } = stack);
  page = await (await browser.newContext({ viewport: { width: 1080, height: 1920 } })).newPage();
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => {
      if (process.env.DEBUG_KIOSK) console.log('frame', String(f.payload).slice(0, 200));
    }),
  );
  await page.goto(agent.url);
});
after(() => stack?.stop());

async function typeCan(digits: string) {
  await page.getByRole('heading', { name: 'Nhập 6 số cuối của số thẻ căn cước' }).waitFor({ timeout: 10_000 });
  for (const d of digits) await page.getByRole('button', { name: d, exact: true }).click();
  await page.getByRole('button', { name: 'Xác nhận' }).click();
}

const openSessions = async () => (await db.sql`SELECT count(*)::int AS n FROM citizen_sessions WHERE ended_at IS NULL`)[0]!.n;

test('insert, wrong digits, right digits, greeted with the checks; removal ends the session and clears the page', async (t) => {
  t.after(() => screenshot(page, 'kiosk-identity-last').catch(() => {}));
  await page.getByRole('heading', { name: 'Mời cắm thẻ Căn cước công dân vào đầu đọc' }).waitFor({ timeout: 10_000 });
  const card = new VpcdCard({ chip: vc.chip, port: vpcdPort });
  await card.insert();
  try {
    await typeCan(vc.doc.can === '000000' ? '111111' : '000000');
    await page.getByText('Số nhập chưa đúng').waitFor({ timeout: 10_000 });
    const t0 = Date.now();
    await typeCan(vc.doc.can);
    // greeted by the given name, one plain "card received"; no full name in large type, no jargon
    await page.getByRole('heading', { name: 'Xin chào, Mai' }).waitFor({ timeout: 10_000 });
    t.diagnostic(`digits confirmed -> greeted: ${Date.now() - t0} ms`);
    await page.getByText('✔ Đã nhận thẻ').waitFor({ timeout: 1000 });
    const html = await page.content();
    for (const jargon of ['Nguyễn Thị Mai', 'PACE', 'Dữ liệu do Bộ Công an ký', 'Chip thật, không phải bản sao', 'CCCD'])
      assert.equal(html.includes(jargon), false, `"${jargon}" is not on the greeting`);
    await screenshot(page, 'kiosk-identity-greeting');
    assert.equal(await openSessions(), 1);
  } finally {
    await card.remove();
  }
  await page.getByRole('heading', { name: 'Mời cắm thẻ Căn cước công dân vào đầu đọc' }).waitFor({ timeout: 10_000 });
  const html = await page.content();
  assert.equal(html.includes('Nguyễn Thị Mai'), false, 'the name is gone from the page');
  assert.deepEqual(await page.evaluate(() => [localStorage.length, sessionStorage.length]), [0, 0]);
  // the hub ends the session (the agent tells it on removal)
  const deadline = Date.now() + 5000;
  while ((await openSessions()) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const [s] = await db.sql`SELECT end_reason FROM citizen_sessions ORDER BY opened_at DESC LIMIT 1`;
  assert.equal(s!.end_reason, 'card_removed');
});

test('a card signed by an unknown authority is refused with a plain message and nothing is stored', async () => {
  const fake = virtualCccd({ cardAccess: true, doc: { unknownCsca: true }, person: { idNumber: '079199000111', fullName: 'Lê Văn Giả' } });
  const card = new VpcdCard({ chip: fake.chip, port: vpcdPort });
  const before = (await db.sql`SELECT count(*)::int AS n FROM citizens`)[0]!.n;
  await card.insert();
  try {
    await typeCan(fake.doc.can);
    await page.getByText('Không xác thực được thẻ').waitFor({ timeout: 10_000 });
    assert.equal((await page.content()).includes('Lê Văn Giả'), false);
    assert.equal((await db.sql`SELECT count(*)::int AS n FROM citizens`)[0]!.n, before);
    assert.equal(await openSessions(), 0);
  } finally {
    await card.remove();
  }
});
