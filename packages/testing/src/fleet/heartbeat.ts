// A station's heartbeat as a healthy kiosk PC sends it (one blood-pressure cuff connected, reader,
// camera and microphone present, nothing queued), for tests and benches to change what they need.
import type { Heartbeat } from '@tram/contracts';

export const heartbeat = (over: Partial<Heartbeat> = {}): Heartbeat => ({
  version: '0.1.0',
  uptimeS: 10,
  reader: 'ready',
  devices: [{ id: 'bp-1', kind: 'blood_pressure', state: 'connected' }],
  sosOutbox: 0,
  vitalsQueue: 0,
  camera: 'available',
  microphone: 'available',
  freeDiskMb: 50_000,
  ...over,
});
