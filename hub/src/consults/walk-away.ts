// A resident who walks away (card removed, session idle) ends their consult, and the session's
// FHIR Encounter is finished. Every hub instance hears the event; the conditional updates in the
// stores let exactly one of them make each change.
import type { HubDeps } from '../deps.ts';
import { abandonSessionConsults } from './service.ts';
import { finishSessionEncounter } from '../fhir/store.ts';

export function followWalkAways(d: HubDeps): () => void {
  return d.bus.subscribe((e) => {
    if (e.type !== 'identity.session_ended') return;
    const { sessionId, reason } = e.data;
    abandonSessionConsults(d, sessionId, `session_${reason}`).catch((err) =>
      d.log.error({ err }, 'ending the consult of a closed session failed'),
    );
    finishSessionEncounter(d.sql, sessionId).catch((err) => d.log.error({ err }, 'finishing the Encounter of a closed session failed'));
  });
}
