// Live vitals for one resident through the hub's FHIR Subscription (console-ui's
// followSubscription), each event-notification turned into samples. After every (re)bind the
// caller resyncs from the REST history, so nothing that arrived while the socket was down is lost.
// If the subscription cannot be set up at all, $lastn is polled every second.
import { followSubscription } from '@tram/console-ui/follow-subscription';
import { lastN } from './client.ts';
import { samplesOf, type Sample } from './observations.ts';

export type LiveState = 'connecting' | 'live' | 'polling' | 'closed';
export interface LiveVitals {
  stop(): void;
}

export function followVitals(patientId: string, on: { samples(s: Sample[]): void; resync(): void; state(s: LiveState): void }): LiveVitals {
  let poll: ReturnType<typeof setInterval> | undefined;
  const follow = followSubscription(patientId, {
    reason: 'Theo dõi sinh hiệu trong buổi khám / Live vitals during a consult',
    onConnecting: () => on.state('connecting'),
    onLive: () => {
      on.state('live');
      on.resync();
    },
    onEvents: (b) => on.samples(samplesOf(b)),
    // no subscription, or the hub keeps refusing the socket: a second-by-second poll still shows new readings
    onGiveUp: () => {
      on.state('polling');
      poll = setInterval(() => {
        lastN(patientId).then(
          (b) => on.samples(samplesOf(b)),
          () => {},
        );
      }, 1000);
    },
  });
  return {
    stop() {
      clearInterval(poll);
      follow.stop();
      on.state('closed');
    },
  };
}
