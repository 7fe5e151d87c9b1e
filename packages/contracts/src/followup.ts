// The police console's follow-up of an emergency call (issue 12): calling back a missed call,
// adding responders (officers, a 115 medic) to a call, and the silent SOS (text chat with the
// resident). Request bodies (zod), the views the hub answers with and the events it pushes.
import { z } from 'zod';
import type { CallView, MediaGrantView } from './api.ts';
import { QUICK_REPLIES, type QuickReply } from './quick-replies.ts';

export { QUICK_REPLIES, QUICK_REPLY_TEXT, type QuickReply } from './quick-replies.ts';

/** Why an officer closes a missed call without calling back. */
export const DISMISS_REASONS = ['resolved_elsewhere', 'duplicate', 'false_alarm', 'unreachable', 'other'] as const;
export const dismissMissedBody = z.strictObject({
  reason: z.enum(DISMISS_REASONS),
  note: z.string().trim().max(500).optional(),
});

const username = z.string().trim().min(1).max(64);

/** POST /api/calls/:id/responders: who to add, and the handover the answering officer typed. */
export const addResponderBody = z.strictObject({
  username,
  note: z.string().trim().min(1, 'a handover note is required').max(1000),
});
/** POST /api/calls/:id/transfer: hand the call to a responder who has joined (warm transfer). */
export const transferBody = z.strictObject({ to: username });

/** POST /api/calls/:id/chat: a typed message, or a quick reply (the hub writes its text). */
export const chatBody = z.union([
  z.strictObject({ text: z.string().trim().min(1).max(500) }),
  z.strictObject({ quick: z.enum(QUICK_REPLIES) }),
]);
export type ChatBody = z.input<typeof chatBody>;

/** An abandoned call as the police console lists it ("Cuộc gọi nhỡ — gọi lại"). */
export interface MissedCallView {
  call: CallView;
  /** Callbacks tried so far that did not reach the resident. */
  attempts: number;
  /** The callback ringing the station now, if any. */
  ringing: { callId: string; by: string } | null;
}

export type CallbackStatus = 'ringing' | 'answered' | 'declined' | 'unanswered' | 'ended';

/** A callback to a station: a new outbound call linked to the missed one. */
export interface CallbackView {
  callId: string;
  originalCallId: string;
  status: CallbackStatus;
  officer: { username: string; displayName: string };
  /** The ward the officer calls from ("Công an phường …"). */
  ward: string;
  ringUntil: string | null;
}

export interface CallbackPlaced {
  call: CallView;
  callback: CallbackView;
  media: MediaGrantView;
}

export type ResponderStatus = 'invited' | 'joined' | 'left' | 'owner';

/** Someone added to a call (or its owner), as consoles and the kiosk see them. */
export interface ResponderView {
  username: string;
  displayName: string;
  role: string;
  status: ResponderStatus;
  note: string | null;
  invitedBy: string | null;
}

/** What an invited staff member sees: the call, who invited them and the handover note. */
export interface InvitationView {
  call: CallView;
  responder: ResponderView;
}

export interface ChatMessageView {
  id: string;
  at: string;
  from: 'resident' | 'staff';
  name: string;
  text: string;
  quick: QuickReply | null;
}

/** Events of the follow-up (part of HubEvent). */
export type FollowupEvent =
  | { type: 'callback.ringing'; data: { call: CallView; callback: CallbackView } }
  | { type: 'callback.updated'; data: { call: CallView; callback: CallbackView } }
  | { type: 'missed.changed'; data: { callId: string } }
  | { type: 'responder.invited'; data: InvitationView }
  | {
      type: 'call.responders';
      data: { callId: string; owner: { username: string; displayName: string } | null; responders: ResponderView[] };
    }
  | { type: 'call.silent'; data: { callId: string } }
  | { type: 'call.chat'; data: { callId: string; message: ChatMessageView } };
