// The emergency call's words around the shared call screen: that it is ringing and for how long,
// who was alerted, where this station is, 113 from the start, that a further press joined the open
// call; answered by whom; ended, with the officer's outcome if known and "back to start".
import { Show, createSignal, lazy, onCleanup } from 'solid-js';
import type { CallView } from '@tram/contracts';
import { t } from '../i18n/index.ts';
import { callOutcome, endCall, escalated, joinedOpenCall, rejoinSos, resetCall, sosMedia } from '../state/sos.ts';
import { identified } from '../state/card.ts';
import { resetToStart } from '../state/session.ts';
import { Joined, SilentSos } from './SilentSos.tsx';

const CallScreen = lazy(() => import('./CallScreen.tsx'));

const clock = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export function SosCall(props: { call: CallView }) {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(timer));
  const since = () =>
    props.call.status === 'ringing'
      ? t().ringingFor(clock(now() - Date.parse(props.call.createdAt)))
      : props.call.answeredAt && props.call.status !== 'ended'
        ? t().inCallFor(clock(now() - Date.parse(props.call.answeredAt)))
        : '';
  const home = () => {
    resetCall();
    if (identified()) resetToStart(true);
  };
  return (
    <CallScreen
      media={sosMedia}
      // the media server holding the room died: the hub makes the room anew, the resident rejoins
      rejoin={() => rejoinSos(props.call.id)}
      peer={() => props.call.answeredBy?.displayName ?? ''}
      status={() =>
        props.call.status === 'ended' ? t().ended : props.call.answeredBy ? t().answered(props.call.answeredBy.displayName) : t().ringing
      }
      live={() => props.call.status !== 'ended'}
      confirmHangup={() => t().hangupConfirm}
      onHangup={() => endCall(props.call.id, props.call.status === 'ringing' ? 'cancelled' : 'hangup')}
      // slot for one extra large button (police follow-up: "I cannot speak")
      extra={undefined}
    >
      <Show when={since()}>
        <p class="call-timer" data-testid="call-timer">
          {since()}
        </p>
      </Show>
      <Show when={joinedOpenCall() && props.call.status !== 'ended'}>
        <p class="call-joined" role="status">
          {t().joined}
        </p>
      </Show>
      <p class="call-who">{t().alerted(props.call.station.ward)}</p>
      <p class="call-where">{t().stationAt(props.call.station.name, props.call.station.address)}</p>
      <Show
        when={escalated() && props.call.status === 'ringing'}
        fallback={
          <Show when={props.call.status !== 'ended'}>
            <p class="call-113">
              {t().fallbackNow} <strong>113</strong>
            </p>
          </Show>
        }
      >
        <div class="fallback" role="alert">
          {t().escalated}
          <strong>113</strong>
        </div>
      </Show>
      <Joined callId={props.call.id} />
      <SilentSos callId={props.call.id} live={props.call.status !== 'ended'} />
      <Show when={props.call.status === 'ended'}>
        <Show when={callOutcome()}>
          <p class="call-outcome">{t().outcome(callOutcome()!)}</p>
        </Show>
        <button type="button" class="primary wide-main" onClick={home}>
          {t().backHome}
        </button>
      </Show>
    </CallScreen>
  );
}
