/**
 * Scale drivers: Mettler Toledo MT-SICS and the A&D standard format (see
 * mt-sics.ts and and-standard.ts for the documents). Both default to 9600 8N1;
 * A&D scales can be set to other rates, hence the serial overrides in the
 * device configuration.
 *
 * MT-SICS: on connect the driver sends `SIR` so the kiosk sees the weight
 * settle live (option `continuous: false` turns that off). measure() sends
 * `S` (next stable weight). The reference does not say clearly whether `S`
 * ends an `SIR` stream, so in continuous mode `SIR` is sent again after it.
 *
 * A&D: the stream/command mode is a scale setting; the driver sends nothing on
 * connect, and measure() sends `S` (stable weight).
 */
import { AND_DEVICE, AndStandardDecoder } from './and-standard.ts';
import { booleanOption, type DeviceDriver, serial8N1 } from './driver.ts';
import { MT_SICS_DEVICE, MtSicsDecoder } from './mt-sics.ts';

export const mtSicsDriver: DeviceDriver = {
  protocol: 'mt-sics',
  model: MT_SICS_DEVICE,
  kinds: ['weight'],
  serial: serial8N1(9600),
  recordIntervalMs: 1000,
  checkOptions: (o) => void booleanOption(o, 'continuous'),
  open(decoder, options) {
    const d = new MtSicsDecoder(decoder);
    const continuous = booleanOption(options, 'continuous') ?? true;
    return {
      push: (c) => d.push(c),
      stats: d.stats,
      onOpen: () => {
        if (continuous) d.requestContinuous();
      },
      measure: () => {
        d.requestStable();
        if (continuous) d.requestContinuous();
        return 'sent';
      },
      close: () => {},
    };
  },
};

export const andStandardDriver: DeviceDriver = {
  protocol: 'and-standard',
  model: AND_DEVICE,
  kinds: ['weight'],
  serial: serial8N1(9600),
  recordIntervalMs: 1000,
  checkOptions: () => {},
  open(decoder) {
    const d = new AndStandardDecoder(decoder);
    return {
      push: (c) => d.push(c),
      stats: d.stats,
      onOpen: () => {},
      measure: () => {
        d.requestStable();
        return 'sent';
      },
      close: () => {},
    };
  },
};
