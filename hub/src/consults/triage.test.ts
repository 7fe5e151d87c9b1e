import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageOf, estimateWait, urgencyOf } from './triage.ts';

test('the wait: people ahead shared among the doctors available, at the recent average (15 min without history, never under 5)', () => {
  assert.equal(estimateWait(1, 2, null), 1); // next: about a minute
  assert.equal(estimateWait(5, 2, 20), 41);
  assert.equal(estimateWait(3, 1, null), 31);
  assert.equal(estimateWait(3, 1, 2), 11); // short consults still count 5 min each
  assert.equal(estimateWait(2, 3, 12.4), 5);
});

test('no estimate when not waiting or nobody is available', () => {
  assert.equal(estimateWait(null, 3, 10), null);
  assert.equal(estimateWait(1, 0, 10), null);
});

test('age in whole years from the date printed on the card', () => {
  assert.equal(ageOf('12/03/1960', new Date(2025, 2, 11)), 64);
  assert.equal(ageOf('12/03/1960', new Date(2025, 2, 12)), 65);
  assert.equal(ageOf('31/12/2000', new Date(2025, 0, 1)), 24);
  assert.equal(ageOf(null), null);
  assert.equal(ageOf('1960'), null); // only the year is known: no age rather than a wrong one
  assert.equal(ageOf('1960-03-12'), null);
});

test('urgency: an alarming reason or an urgent flag first, then any flag', () => {
  assert.equal(urgencyOf('chest_pain', []), 2);
  assert.equal(urgencyOf('breathing', []), 2);
  assert.equal(urgencyOf('checkup', ['low_spo2']), 2);
  assert.equal(urgencyOf('checkup', ['hypertensive_crisis', 'fever']), 2);
  assert.equal(urgencyOf('fever', ['fever']), 1);
  assert.equal(urgencyOf('checkup', []), 0);
});
