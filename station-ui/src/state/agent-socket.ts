// The page's one connection to the local agent: state, card, booth and relayed hub events,
// typed as the contracts' AgentEvent; reconnects by itself.
import { createSignal } from 'solid-js';
import type { AgentEvent } from '@tram/contracts';
import { eventOf, sameOrigin, socketLoop } from '@tram/console-ui/socket';
import { applyCallEvent, applySos } from './sos.ts';
import { setCard } from './card.ts';
import { onDevice, onObservation, onReading } from './vitals.ts';
import { applyConsult, refreshConsult } from './consult.ts';
import { resetToStart } from './session.ts';
import { agentSocketPath } from '../clients/agent.ts';
import { onFollowupEvent } from './followup.ts';
import { onPaymentPaid } from '../screens/services/payments-state.ts';
import { reportMedia, watchMediaDevices } from './media-report.ts';
import { runSelfTest } from './self-test.ts';

export const [hubUp, setHubUp] = createSignal(true);
export const [agentUp, setAgentUp] = createSignal(true);

export function connectAgent() {
  socketLoop({
    address: () => sameOrigin(agentSocketPath()),
    onOpen: () => {
      setAgentUp(true);
      // on every (re)connection: a restarted agent has forgotten what the page reported
      void reportMedia();
      watchMediaDevices();
    },
    onClose: () => setAgentUp(false),
    onMessage: (data) => {
      const e = eventOf<AgentEvent>(data);
      if (e) onEvent(e);
    },
  });
}

function onEvent(e: AgentEvent) {
  // callbacks, responders and the silent SOS chat (police follow-up)
  if (
    e.type !== 'agent.state' &&
    e.type !== 'card.state' &&
    e.type !== 'vitals.reading' &&
    e.type !== 'vitals.device' &&
    e.type !== 'selftest.media' &&
    onFollowupEvent(e)
  )
    return;
  switch (e.type) {
    case 'agent.state': {
      const wasDown = !hubUp();
      setHubUp(e.data.hub === 'up');
      applySos(e.data.sos);
      // No card field: this station runs without a reader.
      setCard(e.data.card ?? { state: 'no_reader' });
      if (wasDown && hubUp()) void refreshConsult();
      return;
    }
    case 'card.state':
      return setCard(e.data);
    case 'vitals.reading':
      return onReading(e.data);
    case 'vitals.device':
      return onDevice(e.data);
    case 'vitals.observation':
      return onObservation(e.data);
    // The hub closed the resident's session for inactivity: the page follows.
    case 'identity.session_ended':
      if (e.data.reason === 'idle') resetToStart(true);
      return;
    case 'consult.updated':
      return applyConsult(e.data.consult);
    case 'payment.paid':
      return onPaymentPaid(e.data);
    case 'selftest.media':
      return void runSelfTest(e.data);
    case 'call.ringing':
    case 'call.answered':
    case 'call.escalated':
    case 'call.ended':
      return applyCallEvent(e.type, e.data.call);
  }
}
