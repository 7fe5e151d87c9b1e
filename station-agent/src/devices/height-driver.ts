/**
 * DYP A02YYUW ultrasonic height driver (see a02yyuw.ts), 9600 8N1. The UART
 * "auto output" version streams about every 100 ms and takes no commands.
 * Requires option mountHeightCm (sensor face to floor).
 */
import { A02YYUW_DEVICE, A02yyuwDecoder } from './a02yyuw.ts';
import { type DeviceDriver, numberOption, serial8N1 } from './driver.ts';

export const a02yyuwDriver: DeviceDriver = {
  protocol: 'a02yyuw',
  model: A02YYUW_DEVICE,
  kinds: ['height'],
  serial: serial8N1(9600),
  recordIntervalMs: 1000,
  checkOptions: (o) => {
    const h = numberOption(o, 'mountHeightCm', true);
    if (!(h !== undefined && h > 0 && h <= 450)) throw new Error('option mountHeightCm must be in (0, 450] cm (sensor range 4.5 m)');
    numberOption(o, 'minSubjectCm', false);
  },
  open(decoder, options) {
    const mountHeightCm = numberOption(options, 'mountHeightCm', true) as number;
    const minSubjectCm = numberOption(options, 'minSubjectCm', false);
    const d = new A02yyuwDecoder({ ...decoder, mountHeightCm, ...(minSubjectCm === undefined ? {} : { minSubjectCm }) });
    return { push: (c) => d.push(c), stats: d.stats, onOpen: () => {}, measure: () => 'streaming', close: () => {} };
  },
};
