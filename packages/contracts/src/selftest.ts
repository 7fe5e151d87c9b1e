// The station self-test: an admin (or the nightly schedule) asks a station to place a test SOS,
// flagged as a test (it is never a call: no officer is rung, no service level or history counts
// it); the hub's test participant checks the kiosk's audio and video through LiveKit and sends a
// tone back, which the kiosk page confirms. Each step is recorded pass/fail with a plain reason.
import { z } from 'zod';
import { availability } from './fleet.ts';
import type { MediaGrantView } from './api.ts';

export const SELFTEST_STEPS = ['sos_persisted', 'room_joined', 'kiosk_audio', 'kiosk_video', 'return_media', 'cleanup'] as const;
export type SelfTestStepName = (typeof SELFTEST_STEPS)[number];
export type SelfTestStatus = 'requested' | 'running' | 'passed' | 'failed';
export type SelfTestTrigger = 'admin' | 'nightly';

export interface SelfTestStep {
  step: SelfTestStepName;
  ok: boolean;
  /** Plain words, Vietnamese first (e.g. "không có camera / no camera"). */
  reason: string;
  at: string;
}

export interface SelfTestView {
  id: string;
  stationId: string;
  trigger: SelfTestTrigger;
  requestedBy: string | null;
  status: SelfTestStatus;
  createdAt: string;
  finishedAt: string | null;
  steps: SelfTestStep[];
}

/** POST /api/station/self-tests/:id/sos answers the station's test SOS with a grant to the test room. */
export interface SelfTestSosView {
  runId: string;
  media: MediaGrantView;
}

/**
 * What the kiosk page found in the test room: POST /agent/self-test from the page, relayed by the
 * agent to POST /api/station/self-tests/:id/kiosk.
 */
export const selfTestKioskReport = z.strictObject({
  runId: z.uuid(),
  camera: availability,
  microphone: availability,
  /** The page received the test participant's tone (its RTP packets arrived). */
  receivedAudio: z.boolean(),
  /** The page received the test participant's picture (its frames were decoded). */
  receivedVideo: z.boolean().optional(),
  reason: z.string().max(300).optional(),
});
export type SelfTestKioskReport = z.infer<typeof selfTestKioskReport>;
