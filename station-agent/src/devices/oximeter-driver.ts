/**
 * Contec CMS50D+ pulse oximeter drivers (see cms50d.ts for the sources).
 *
 * Legacy firmware: 19200 baud, 8 data bits, odd parity, 1 stop; it streams
 * by itself and takes no commands, so measure() has nothing to send.
 * V7 firmware: 115200 8N1; live data must be requested and the request
 * repeated (the decoder's keep-alive timer), so it starts on connect, and
 * measure() re-sends the request (harmless if already streaming).
 */
import { CMS50D_LEGACY_DEVICE, CMS50D_V7_DEVICE, Cms50dLegacyDecoder, Cms50dV7Decoder } from './cms50d.ts';
import { type DeviceDriver, numberOption, serial8N1 } from './driver.ts';

export const cms50dLegacyDriver: DeviceDriver = {
  protocol: 'cms50d-legacy',
  model: CMS50D_LEGACY_DEVICE,
  kinds: ['spo2', 'heart_rate'],
  serial: { baudRate: 19200, dataBits: 8, parity: 'odd', stopBits: 1 },
  recordIntervalMs: 1000,
  checkOptions: () => {},
  open(decoder) {
    const d = new Cms50dLegacyDecoder(decoder);
    return { push: (c) => d.push(c), stats: d.stats, onOpen: () => {}, measure: () => 'streaming', close: () => {} };
  },
};

export const cms50dV7Driver: DeviceDriver = {
  protocol: 'cms50d-v7',
  model: CMS50D_V7_DEVICE,
  kinds: ['spo2', 'heart_rate'],
  serial: serial8N1(115200),
  recordIntervalMs: 1000,
  checkOptions: (o) => {
    const ms = numberOption(o, 'keepAliveMs', false);
    if (ms !== undefined && !(ms > 0 && ms < 30_000)) throw new Error('option keepAliveMs must be in (0, 30000)');
  },
  open(decoder, options) {
    const keepAliveMs = numberOption(options, 'keepAliveMs', false);
    const d = new Cms50dV7Decoder(keepAliveMs === undefined ? decoder : { ...decoder, keepAliveMs });
    return {
      push: (c) => d.push(c),
      stats: d.stats,
      onOpen: () => d.start(),
      measure: () => {
        d.start();
        return 'sent';
      },
      // Only stop the timer: the port is gone, so no stop command can be written.
      close: () => {
        if (d.keepingAlive) {
          try {
            d.stop();
          } catch {
            // write on a closed port; the timer is already cleared
          }
        }
      },
    };
  },
};
