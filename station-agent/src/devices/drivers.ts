/** The serial drivers the agent knows, by protocol name (the `protocol` of a device configuration). */
import { nibp2010Driver } from './bp-driver.ts';
import type { DeviceDriver, Protocol } from './driver.ts';
import { a02yyuwDriver } from './height-driver.ts';
import { cms50dLegacyDriver, cms50dV7Driver } from './oximeter-driver.ts';
import { andStandardDriver, mtSicsDriver } from './scale-driver.ts';
import { gyMcu90614Driver } from './thermometer-driver.ts';

export const DRIVERS: Readonly<Record<Protocol, DeviceDriver>> = {
  'mt-sics': mtSicsDriver,
  'and-standard': andStandardDriver,
  'cms50d-legacy': cms50dLegacyDriver,
  'cms50d-v7': cms50dV7Driver,
  nibp2010: nibp2010Driver,
  a02yyuw: a02yyuwDriver,
  'gy-mcu90614': gyMcu90614Driver,
};

export const isProtocol = (p: unknown): p is Protocol => typeof p === 'string' && Object.hasOwn(DRIVERS, p);
