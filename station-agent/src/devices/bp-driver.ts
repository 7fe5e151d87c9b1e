/**
 * Medlab NIBP2010/2020 OEM blood pressure board driver (see nibp2010.ts for
 * the sources and the uncertain points), 4800 baud 8N1. The board measures
 * only when told: measure() sends the start frame; the decoder asks for the
 * result when the cuff stream ends with "999".
 */
import { booleanOption, type DeviceDriver, serial8N1 } from './driver.ts';
import { NIBP_DEVICE, Nibp2010Decoder } from './nibp2010.ts';

export const nibp2010Driver: DeviceDriver = {
  protocol: 'nibp2010',
  model: NIBP_DEVICE,
  kinds: ['blood_pressure'],
  serial: serial8N1(4800),
  recordIntervalMs: 0, // one result per cuff cycle, with its pulse: keep all
  checkOptions: (o) => void booleanOption(o, 'checksumIncludesStx'),
  open(decoder, options) {
    const ckStx = booleanOption(options, 'checksumIncludesStx');
    const d = new Nibp2010Decoder(ckStx === undefined ? decoder : { ...decoder, checksumIncludesStx: ckStx });
    return {
      push: (c) => d.push(c),
      stats: d.stats,
      onOpen: () => {},
      measure: () => {
        d.start();
        return 'sent';
      },
      close: () => {},
    };
  },
};
