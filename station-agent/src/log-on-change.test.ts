import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChangeLog } from './log-on-change.ts';

test('a repeated condition is printed once, then only when it changes or ends', () => {
  const lines: string[] = [];
  const log = new ChangeLog((m) => lines.push(m));
  for (let i = 0; i < 5; i++) log.say('pcsc', 'card reader unavailable (no pcscd)');
  log.say('device', 'port busy'); // topics are independent
  log.say('pcsc', 'card reader unavailable (no reader)');
  log.say('pcsc', 'card reader unavailable (no reader)');
  log.clear('pcsc', 'card reader ready');
  log.clear('pcsc', 'card reader ready'); // nothing was said since: silent
  log.say('pcsc', 'card reader unavailable (no reader)');
  assert.deepEqual(lines, [
    'card reader unavailable (no pcscd)',
    'port busy',
    'card reader unavailable (no reader)',
    'card reader ready',
    'card reader unavailable (no reader)',
  ]);
});
