import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PcscError, toPcscError } from './pcsc.ts';

/** What pcsc-mini rejects with: an Error whose `code` names the PC/SC result. */
const bindingError = (code: string) => Object.assign(new Error(`[ ${code} ] - Error in native function`), { code });

test('binding errors become PcscErrors with stable codes and the SCARD number', () => {
  const cases: [string, string, number | undefined][] = [
    ['NoService', 'no-service', 0x8010001d],
    ['ServiceStopped', 'no-service', 0x8010001e],
    ['RemovedCard', 'card-removed', 0x80100069],
    ['ResetCard', 'card-reset', 0x80100068],
    ['SharingViolation', 'busy', 0x8010000b],
    ['NoSmartCard', 'no-card', 0x8010000c],
    ['UnknownReader', 'no-reader', 0x80100009],
    ['NotTransacted', 'transmit-failed', 0x80100016],
    ['NoCardConnection', 'closed', undefined],
    ['TooManyCardConnections', 'busy', undefined],
  ];
  for (const [name, code, scard] of cases) {
    const e = toPcscError(bindingError(name), 'transmit');
    assert.ok(e instanceof PcscError);
    assert.equal(e.code, code, name);
    assert.equal(e.scardCode, scard, name);
    assert.equal(e.message, `transmit: ${name}`);
  }
});

test('anything else is "unknown", and a PcscError passes through unchanged', () => {
  assert.equal(toPcscError(bindingError('SomethingNew'), 'x').code, 'unknown');
  assert.equal(toPcscError(new Error('plain'), 'x').message, 'x: plain');
  assert.equal(toPcscError('text', 'x').code, 'unknown');
  const own = new PcscError('timeout', 'slow');
  assert.equal(toPcscError(own, 'x'), own);
});
