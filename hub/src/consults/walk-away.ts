// A resident who walks away (card removed, session idle) ends their consult. Every hub instance
// hears the event; the conditional update in the store lets exactly one of them end it.
import type { HubDeps } from '../deps.ts';
import { abandonSessionConsults } from './service.ts';

export function followWalkAways(d: HubDeps): () => void {
  return d.bus.subscribe((e) => {
    if (e.type !== 'identity.session_ended') return;
    const { sessionId, reason } = e.data;
    abandonSessionConsults(d, sessionId, `session_${reason}`).catch((err) =>
      d.log.error({ err }, 'ending the consult of a closed session failed'),
    );
  });
}
