import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cardAccessBody, measureBody, sosBody } from '@tram/contracts';
import { parseBody } from './request-body.ts';

const body = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

test('valid bodies pass, and an empty body is {}', () => {
  assert.deepEqual(parseBody(sosBody, Buffer.alloc(0), 'hint'), { ok: true, value: {} });
  assert.deepEqual(parseBody(sosBody, body({ note: '  ngã ở sảnh ' }), 'hint'), { ok: true, value: { note: 'ngã ở sảnh' } });
  assert.deepEqual(parseBody(cardAccessBody, body({ can: '123456' }), 'hint'), { ok: true, value: { can: '123456' } });
  assert.deepEqual(parseBody(measureBody, body({ kind: 'spo2' }), 'hint'), { ok: true, value: { kind: 'spo2' } });
});

test('a wrong body says which field is wrong and what to send', () => {
  const can = parseBody(cardAccessBody, body({ can: '12' }), 'Send {"can":"6 digits"}.');
  assert.deepEqual(can, { ok: false, message: 'can: the CAN is 6 digits. Send {"can":"6 digits"}.' });
  const none = parseBody(cardAccessBody, body({}), 'Send {"can":"6 digits"}.');
  assert.equal(none.ok, false);
  assert.match(!none.ok ? none.message : '', /^The body matches none of the accepted forms\. Send/);
  const kind = parseBody(measureBody, body({ kind: 'mood' }), 'hint');
  assert.match(!kind.ok ? kind.message : '', /^kind: Invalid option: expected one of .*"blood_pressure"/);
  const extra = parseBody(sosBody, body({ note: 'x', priority: 1 }), 'hint');
  assert.match(!extra.ok ? extra.message : '', /Unrecognized key: "priority"/);
  const notJson = parseBody(sosBody, body('{note'), 'Send {}.');
  assert.deepEqual(notJson, { ok: false, message: 'The body is not JSON. Send {}.' });
  assert.equal(parseBody(sosBody, body({ note: 'x'.repeat(501) }), 'hint').ok, false);
});
