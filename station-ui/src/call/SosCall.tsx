// The emergency call's words around the shared call screen: ringing, answered by whom, 113 when
// nobody answers in time, ended.
import { Show, lazy } from 'solid-js';
import type { CallView } from '@tram/contracts';
import { t } from '../i18n/index.ts';
import { endCall, escalated, sosMedia } from '../state/sos.ts';
import { Joined, SilentSos } from './SilentSos.tsx';

const CallScreen = lazy(() => import('./CallScreen.tsx'));

export function SosCall(props: { call: CallView }) {
  return (
    <CallScreen
      media={sosMedia}
      peer={() => props.call.answeredBy?.displayName ?? t().officer}
      status={() =>
        props.call.status === 'ended' ? t().ended : props.call.answeredBy ? t().answered(props.call.answeredBy.displayName) : t().ringing
      }
      live={() => props.call.status !== 'ended'}
      onHangup={() => endCall(props.call.id, props.call.status === 'ringing' ? 'cancelled' : 'hangup')}
    >
      <Show when={escalated() && props.call.status === 'ringing'}>
        <div class="fallback" role="alert">
          {t().escalated}
          <strong>113</strong>
        </div>
      </Show>
      <Joined callId={props.call.id} />
      <SilentSos callId={props.call.id} live={props.call.status !== 'ended'} />
    </CallScreen>
  );
}
