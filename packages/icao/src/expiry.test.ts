import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkExpiry, dg13ExpiryIso, mrzExpiryIso } from './expiry.ts';

const now = new Date('2026-03-15T12:00:00Z'); // 19:00 in Vietnam

test('MRZ and DG13 expiry dates parse; words and impossible dates do not', () => {
  assert.equal(mrzExpiryIso('350315'), '2035-03-15');
  assert.equal(mrzExpiryIso('351332'), undefined);
  assert.equal(dg13ExpiryIso('15/03/2035'), '2035-03-15');
  assert.equal(dg13ExpiryIso('Không thời hạn'), undefined);
  assert.equal(dg13ExpiryIso(undefined), undefined);
});

test('a card is valid through its expiry day and expired the day after, by either date', () => {
  assert.deepEqual(checkExpiry('260315', '15/03/2026', now), { expired: false, expiry: '2026-03-15' });
  assert.deepEqual(checkExpiry('260314', '15/03/2035', now), { expired: true, expiry: '2026-03-14', source: 'dg1' });
  assert.deepEqual(checkExpiry('350315', '14/03/2026', now), { expired: true, expiry: '2026-03-14', source: 'dg13' });
  assert.deepEqual(checkExpiry('350315', 'Không thời hạn', now), { expired: false, expiry: '2035-03-15' });
  // 17:30 UTC on the 14th is already the 15th in Vietnam.
  assert.equal(checkExpiry('260314', undefined, new Date('2026-03-14T17:30:00Z')).expired, true);
});
