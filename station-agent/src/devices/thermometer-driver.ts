/**
 * GY-MCU90614 infrared thermometer driver (see gy-mcu90614.ts), 9600 8N1.
 * The module is silent until told a mode: on connect the driver selects
 * continuous output (the kiosk shows the value as the forehead comes close);
 * measure() sends the one-shot query. Option `continuous: false` keeps it in
 * query-only mode.
 */
import { booleanOption, type DeviceDriver, serial8N1 } from './driver.ts';
import { GY_MCU90614_DEVICE, GyMcu90614Decoder } from './gy-mcu90614.ts';

export const gyMcu90614Driver: DeviceDriver = {
  protocol: 'gy-mcu90614',
  model: GY_MCU90614_DEVICE,
  kinds: ['temperature'],
  serial: serial8N1(9600),
  recordIntervalMs: 1000,
  checkOptions: (o) => void booleanOption(o, 'continuous'),
  open(decoder, options) {
    const d = new GyMcu90614Decoder(decoder);
    const continuous = booleanOption(options, 'continuous') ?? true;
    return {
      push: (c) => d.push(c),
      stats: d.stats,
      onOpen: () => {
        if (continuous) d.startContinuous();
      },
      measure: () => {
        d.query();
        return 'sent';
      },
      close: () => {},
    };
  },
};
