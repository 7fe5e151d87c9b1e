// Tells the agent whether this kiosk has a camera and a microphone (the fleet's heartbeat carries
// it; no camera or no microphone breaks the SOS path and alerts). Sent when the agent socket opens
// (page start, agent restart) and whenever a device is plugged or unplugged.
import { agent } from '../clients/agent.ts';

type Availability = 'available' | 'missing' | 'unknown';

export async function mediaAvailability(): Promise<{ camera: Availability; microphone: Availability }> {
  const md = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  if (!md?.enumerateDevices) return { camera: 'missing', microphone: 'missing' };
  try {
    // kinds are listed even before any permission (labels are not, and are not needed)
    const devices = await md.enumerateDevices();
    return {
      camera: devices.some((d) => d.kind === 'videoinput') ? 'available' : 'missing',
      microphone: devices.some((d) => d.kind === 'audioinput') ? 'available' : 'missing',
    };
  } catch {
    return { camera: 'unknown', microphone: 'unknown' };
  }
}

export async function reportMedia(): Promise<void> {
  await agent.media(await mediaAvailability()).catch(() => null);
}

let watching = false;
export function watchMediaDevices(): void {
  if (watching || typeof navigator === 'undefined' || !navigator.mediaDevices?.addEventListener) return;
  watching = true;
  navigator.mediaDevices.addEventListener('devicechange', () => void reportMedia());
}
