// Every realtime event, with its payload: what the hub pushes over /ws (to consoles and station
// agents) and what the station agent pushes to the kiosk page over /agent/ws.
import type { CallView, ConsultStatus, ConsultView, MediaGrantView } from './api.ts';
import type { CardState } from './card.ts';
import type { BoothKind, VitalFlag, VitalKind } from './vitals.ts';
import type { DeviceRef } from './wire.ts';
import type { FollowupEvent } from './followup.ts';
import type { FleetAlertKind, FleetStatus } from './fleet.ts';
import type { SelfTestStatus } from './selftest.ts';
import type { SubmissionStatus } from './services-catalogue.ts';

/** A stored Observation as events carry it: ids and values, no FHIR resource. */
export interface ObservationSummary {
  id: string;
  readingId: string;
  kind: VitalKind;
  code: string;
  at: string;
  value?: number;
  values?: { systolic: number; diastolic: number; mean?: number };
  unit?: string;
  interpretation?: string;
}

/** Events from the hub (/ws). */
export type HubEvent =
  | { type: 'hello'; data: { as: string } }
  | { type: 'call.ringing'; data: { call: CallView } }
  | { type: 'call.answered'; data: { call: CallView } }
  | { type: 'call.escalated'; data: { call: CallView; fallback: string } }
  | { type: 'call.ended'; data: { call: CallView } }
  /** The LiveKit node holding the call's room died (hub/src/calls/media-watch.ts): "media lost — call back". */
  | { type: 'call.media_lost'; data: { call: CallView } }
  | { type: 'consult.updated'; data: { consult: ConsultView } }
  | { type: 'consult.changed'; data: { id: string; status: ConsultStatus } }
  | { type: 'consult.presence'; data: { available: number } }
  | { type: 'identity.session_ended'; data: { sessionId: string; reason: 'card_removed' | 'idle' | 'finished' | 'replaced' } }
  | {
      type: 'vitals.observation';
      data: { sessionId: string; patientId: string; observations: ObservationSummary[]; flags: (VitalFlag & { observationId: string })[] };
    }
  | { type: 'vitals.remeasure'; data: { kind: BoothKind } }
  | FollowupEvent
  /** A station went offline or lost its SOS path (raised), or recovered (cleared): admins and the ward's police. */
  | {
      type: 'station.alert';
      data: {
        stationId: string;
        code: string;
        name: string;
        wardId: number;
        kind: FleetAlertKind;
        raised: boolean;
        detail: string;
        at: string;
      };
    }
  /** A station's fleet status changed (admins: refresh that row). */
  | { type: 'fleet.changed'; data: { stationId: string; status: FleetStatus } }
  /** to the station (its agent): run the self-test now (place the test SOS of this run) */
  | { type: 'station.selftest'; data: { runId: string } }
  /** to admins: a self-test advanced or finished (refresh the station page) */
  | { type: 'selftest.changed'; data: { stationId: string; runId: string; status: SelfTestStatus } }
  /** to a reviewing authority's officers: the queue changed (they refetch it, an audited read) */
  | { type: 'service.changed'; data: { id: string; status: SubmissionStatus } }
  /** to the station: a payment shown as a VietQR code was received */
  | { type: 'payment.paid'; data: { id: string; reference: string; amountVnd: number } };

/** A live value from a booth device, before the hub has stored it. */
export interface LiveReading {
  id: string;
  kind: BoothKind;
  value?: number;
  values?: { systolic: number; diastolic: number; mean?: number };
  unit: string;
  at: string;
  device: DeviceRef;
  /** The device's own conditions on this value (e.g. 'unstable', 'finger_out'). */
  flags?: readonly string[];
  /** Whether the agent kept it for the hub (only for an identified resident, at the device's pace). */
  recorded?: boolean;
}

/** A booth device's state as the agent sees it. */
export interface DeviceStatus {
  device: DeviceRef;
  kind: BoothKind;
  state: 'connected' | 'disconnected' | 'error';
  error?: string;
  since: string;
  /** The device's own last condition (finger out, cuff pressure…), if it reported one. */
  condition?: { flags: readonly string[]; message?: string; detail?: Readonly<Record<string, number>> };
  /** The serial port it is configured on, for support screens. */
  path?: string;
  /** Decoder counters since the agent started, for support screens. */
  stats?: { frames: number; badFrames: number; droppedBytes: number };
}

export type SosState =
  | { state: 'idle' }
  | { state: 'sending'; key: string; attempts: number; lastError?: string; since: string }
  | {
      state: 'acknowledged';
      key: string;
      call: CallView;
      media: MediaGrantView | null;
      /** This press joined the station's call that was already open (the hub answered `joined`). */
      joined?: boolean;
      /** What the officer recorded as the outcome, in plain words, when the state carries one. */
      outcome?: string;
    };

/** Events from the station agent to the kiosk page (/agent/ws); the hub's events are relayed too. */
export type AgentEvent =
  | { type: 'agent.state'; data: { hub: 'up' | 'down'; sos: SosState; card?: CardState } }
  | { type: 'card.state'; data: CardState }
  | { type: 'vitals.reading'; data: LiveReading }
  | { type: 'vitals.device'; data: DeviceStatus }
  /** the agent placed the self-test's test SOS: the page joins the test room with this grant */
  | { type: 'selftest.media'; data: { runId: string; media: MediaGrantView } }
  | HubEvent;

export type EventOf<E extends { type: string }, T extends E['type']> = Extract<E, { type: T }>;
