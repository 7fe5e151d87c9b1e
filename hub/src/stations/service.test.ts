import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStationAuth } from './service.ts';

test('a station credential header is `Station <code>:<secret>`, nothing looser', () => {
  assert.deepEqual(parseStationAuth('Station tram-ben-nghe-01:abcdefghijklmnop_-12'), {
    code: 'tram-ben-nghe-01',
    secret: 'abcdefghijklmnop_-12',
  });
  for (const h of [undefined, '', 'Bearer x', 'Station tram:short', 'station tram:abcdefghijklmnop', 'Station a b:abcdefghijklmnopqr'])
    assert.equal(parseStationAuth(h), null, String(h));
});
