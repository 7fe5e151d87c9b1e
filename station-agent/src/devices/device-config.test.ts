import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDeviceConfigs } from './device-config.ts';

test('device configuration: defaults, overrides and readable errors', () => {
  const [h, s] = parseDeviceConfigs([
    { kind: 'height', protocol: 'a02yyuw', path: '/dev/ttyH', options: { mountHeightCm: 230 } },
    {
      id: 'scale-1',
      kind: 'weight',
      protocol: 'and-standard',
      path: '/dev/ttyS',
      options: { baudRate: 2400, parity: 'even', dataBits: 7 },
    },
  ]);
  assert.equal(h!.id, 'a02yyuw:/dev/ttyH');
  assert.equal(s!.id, 'scale-1');
  assert.deepEqual(parseDeviceConfigs([]), []);
  const bad: [unknown, RegExp][] = [
    [{}, /JSON array/],
    [[{ kind: 'weight', protocol: 'hx711', path: '/dev/x' }], /unknown protocol "hx711"/],
    [[{ kind: 'spo2', protocol: 'nibp2010', path: '/dev/x' }], /kind must be one of blood_pressure/],
    [[{ kind: 'height', protocol: 'a02yyuw', path: '/dev/x' }], /mountHeightCm/],
    [[{ kind: 'weight', protocol: 'mt-sics', path: '/dev/x', options: { parity: 'mark' } }], /parity/],
    [[{ kind: 'weight', protocol: 'mt-sics', path: '' }], /path/],
    [[{ kind: 'weight', protocol: 'mt-sics', path: '/dev/serial/by-id/' + 'x'.repeat(120) }], /1-128 characters/],
    [
      [
        { id: 'a', kind: 'weight', protocol: 'mt-sics', path: '/x' },
        { id: 'a', kind: 'weight', protocol: 'mt-sics', path: '/y' },
      ],
      /duplicate/,
    ],
  ];
  for (const [input, re] of bad) assert.throws(() => parseDeviceConfigs(input), re);
});
