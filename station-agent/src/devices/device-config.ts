/**
 * The booth's device list, e.g.
 *   [{ "kind": "height", "protocol": "a02yyuw", "path": "/dev/serial/by-id/usb-…", "options": { "mountHeightCm": 230 } }]
 * `id` is optional: without it the device is known as `<protocol>:<path>`, which
 * is stable as long as the path is (use /dev/serial/by-id/ paths, not ttyUSBn).
 * `options` may also override the serial line (baudRate, dataBits, parity,
 * stopBits) for devices whose rate is a setting, and set `recordIntervalMs`
 * (how often a streaming value is recorded, see vitals/recording-policy.ts).
 */
import type { BoothKind } from '@tram/contracts';
import { DRIVERS, isProtocol } from './drivers.ts';
import type { Protocol, SerialSettings } from './driver.ts';

export interface DeviceConfig {
  id: string;
  kind: BoothKind;
  protocol: Protocol;
  path: string;
  options: Readonly<Record<string, unknown>>;
}

const SERIAL_KEYS = ['baudRate', 'dataBits', 'parity', 'stopBits'] as const;

export function parseDeviceConfigs(input: unknown): DeviceConfig[] {
  if (!Array.isArray(input)) throw new Error('device configuration must be a JSON array');
  const out: DeviceConfig[] = [];
  input.forEach((raw: unknown, i) => {
    const where = `device ${i}`;
    if (typeof raw !== 'object' || raw === null) throw new Error(`${where}: must be an object`);
    const d = raw as Record<string, unknown>;
    if (!isProtocol(d['protocol']))
      throw new Error(`${where}: unknown protocol ${JSON.stringify(d['protocol'])} (known: ${Object.keys(DRIVERS).join(', ')})`);
    const driver = DRIVERS[d['protocol']];
    const kind = d['kind'];
    if (typeof kind !== 'string' || !(driver.kinds as readonly string[]).includes(kind))
      throw new Error(`${where}: kind must be one of ${driver.kinds.join(', ')} for ${driver.protocol}`);
    if (typeof d['path'] !== 'string' || d['path'] === '') throw new Error(`${where}: path must be a device path`);
    const options = d['options'] ?? {};
    if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new Error(`${where}: options must be an object`);
    try {
      driver.checkOptions(options as Record<string, unknown>);
      serialSettings(driver.serial, options as Record<string, unknown>);
      const ri = (options as Record<string, unknown>)['recordIntervalMs'];
      if (ri !== undefined && !(typeof ri === 'number' && ri >= 0)) throw new Error('option recordIntervalMs must be a number >= 0');
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
    const id = d['id'] ?? `${driver.protocol}:${d['path']}`;
    // The hub keeps device ids up to 128 characters; a long by-id path needs an explicit short id.
    if (typeof id !== 'string' || id === '' || id.length > 128)
      throw new Error(`${where}: id must be 1-128 characters (set "id" when the path is long)`);
    if (out.some((o) => o.id === id)) throw new Error(`${where}: duplicate device id ${id}`);
    out.push({ id, kind: kind as BoothKind, protocol: driver.protocol, path: d['path'], options: options as Record<string, unknown> });
  });
  return out;
}

/** The driver's documented line settings with the configuration's overrides applied. */
export function serialSettings(base: SerialSettings, options: Readonly<Record<string, unknown>>): SerialSettings {
  const s = { ...base };
  for (const k of SERIAL_KEYS) {
    const v = options[k];
    if (v === undefined) continue;
    const ok =
      k === 'baudRate'
        ? Number.isInteger(v) && (v as number) > 0
        : k === 'dataBits'
          ? [5, 6, 7, 8].includes(v as number)
          : k === 'parity'
            ? ['none', 'even', 'odd'].includes(v as string)
            : [1, 2].includes(v as number);
    if (!ok) throw new Error(`option ${k} has an invalid value ${JSON.stringify(v)}`);
    (s as Record<string, unknown>)[k] = v;
  }
  return s;
}
