// The page's one connection to the local agent: state, card, booth and relayed hub events.
import { createSignal } from 'solid-js';
import type { CallView } from '@tram/contracts';
import type { CardState } from '@tram/contracts';
import { applyCallEvent, applySos } from './sos.ts';
import { setCard } from './card.ts';
import { onDevice, onObservation, onReading } from './vitals.ts';
import { applyConsult, refreshConsult, type ConsultView } from './consult.ts';
import { resetToStart } from './session.ts';

export const [hubUp, setHubUp] = createSignal(true);
export const [agentUp, setAgentUp] = createSignal(true);

export function connectAgent() {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/agent/ws`);
  ws.onopen = () => setAgentUp(true);
  ws.onmessage = (m) => {
    const e = JSON.parse(String(m.data)) as { type: string; data: any };
    switch (e.type) {
      case 'agent.state': {
        const wasDown = !hubUp();
        setHubUp(e.data.hub === 'up');
        applySos(e.data.sos);
        // No card field: this station runs without a reader.
        setCard((e.data.card as CardState | undefined) ?? { state: 'no_reader' });
        if (wasDown && hubUp()) void refreshConsult();
        return;
      }
      case 'card.state': return setCard(e.data as CardState);
      case 'vitals.reading': return onReading(e.data);
      case 'vitals.device': return onDevice(e.data);
      case 'vitals.observation': return onObservation(e.data);
      // The hub closed the resident's session for inactivity: the page follows.
      case 'identity.session_ended': return e.data?.reason === 'idle' && resetToStart(true);
      case 'consult.updated': return e.data?.consult && applyConsult(e.data.consult as ConsultView);
      case 'call.ringing': case 'call.answered': case 'call.escalated': case 'call.ended':
        return e.data?.call && applyCallEvent(e.type, e.data.call as CallView);
    }
  };
  ws.onclose = () => { setAgentUp(false); setTimeout(connectAgent, 1000); };
}
