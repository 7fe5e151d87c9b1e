// Agent configuration. The station credential is read from the environment or a file that only
// the agent can read; it never reaches the kiosk browser.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDeviceConfigs, type DeviceConfig } from './devices/device-config.ts';
import type { PrinterConfig } from './devices/printer/printer.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface AgentConfig {
  host: string;
  port: number;
  hubUrl: string;
  credential: string;
  dataDir: string;
  uiDir: string;
  /** PC/SC reader: 'auto' (the first one), a reader name, or 'off' for a station without one. */
  cardReader?: string;
  /** Health booth serial devices; absent or empty on a station without a booth. */
  devices?: DeviceConfig[];
  /** Certificate and key (PEM files) to serve the kiosk API over TLS: required to bind beyond loopback. */
  tls?: { certFile: string; keyFile: string };
  /** Heartbeat to the hub every this many ms (HEARTBEAT_S, default 15 s); 0 = none. */
  heartbeatMs?: number;
  /** Where the credential is kept (enrolment writes it). */
  credentialFile?: string;
  /** The booth's receipt printer (ESC/POS on a serial port); absent on a station without one. */
  printer?: PrinterConfig;
  /** Extra host names the kiosk browser may use for the agent (with TLS on a non-loopback address). */
  hostNames?: string[];
}

/** Where the station credential file is, and the hub: all that `enrol` needs. */
export function enrolConfig(env: NodeJS.ProcessEnv = process.env) {
  return {
    credentialFile: env.STATION_CREDENTIAL_FILE ?? join(root, '.data/station.credential'),
    hubUrl: (env.HUB_URL ?? 'http://127.0.0.1:8787').replace(/\/$/, ''),
  };
}

export function loadAgentConfig(env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const credFile = env.STATION_CREDENTIAL_FILE ?? join(root, '.data/station.credential');
  let credential = env.STATION_CREDENTIAL?.trim();
  if (!credential) {
    try {
      credential = readFileSync(credFile, 'utf8').trim();
    } catch {
      throw new Error(`No station credential: set STATION_CREDENTIAL or write it to ${credFile} (npm run seed does)`);
    }
  }
  if (!/^[A-Za-z0-9._-]{1,64}:[A-Za-z0-9_-]{16,128}$/.test(credential)) throw new Error('The station credential is malformed');
  const port = Number(env.AGENT_PORT ?? 8790);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('AGENT_PORT must be a port number');
  return {
    host: env.AGENT_HOST ?? '127.0.0.1',
    port,
    hubUrl: (env.HUB_URL ?? 'http://127.0.0.1:8787').replace(/\/$/, ''),
    credential,
    dataDir: env.AGENT_DATA_DIR ?? join(root, '.data/agent'),
    uiDir: env.STATION_UI_DIR ?? join(root, 'station-ui/dist'),
    cardReader: env.CARD_READER ?? 'auto',
    devices: loadDevices(env),
    heartbeatMs: Math.round(Number(env.HEARTBEAT_S ?? 15) * 1000),
    credentialFile: credFile,
    ...(env.AGENT_TLS_CERT || env.AGENT_TLS_KEY ? { tls: { certFile: env.AGENT_TLS_CERT ?? '', keyFile: env.AGENT_TLS_KEY ?? '' } } : {}),
    ...(env.PRINTER_PATH ? { printer: loadPrinter(env) } : {}),
    ...(env.AGENT_HOST_NAMES
      ? {
          hostNames: env.AGENT_HOST_NAMES.split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
  };
}

// VITALS_DEVICES holds the JSON list itself, VITALS_DEVICES_FILE a path to it (see devices/device-config.ts).
function loadDevices(env: NodeJS.ProcessEnv): DeviceConfig[] {
  let text = env.VITALS_DEVICES;
  if (!text && env.VITALS_DEVICES_FILE) text = readFileSync(env.VITALS_DEVICES_FILE, 'utf8');
  if (!text) return [];
  try {
    return parseDeviceConfigs(JSON.parse(text));
  } catch (e) {
    throw new Error(`Bad health booth device configuration: ${(e as Error).message}`);
  }
}

// PRINTER_PATH (a serial device), PRINTER_BAUD (default 19200), PRINTER_PAPER (58mm | 80mm).
function loadPrinter(env: NodeJS.ProcessEnv): PrinterConfig {
  const baudRate = Number(env.PRINTER_BAUD ?? 19200);
  if (!Number.isInteger(baudRate) || baudRate <= 0) throw new Error('PRINTER_BAUD must be a baud rate');
  const paper = env.PRINTER_PAPER ?? '58mm';
  if (paper !== '58mm' && paper !== '80mm') throw new Error('PRINTER_PAPER must be 58mm or 80mm');
  return { path: env.PRINTER_PATH!, baudRate, paper };
}
