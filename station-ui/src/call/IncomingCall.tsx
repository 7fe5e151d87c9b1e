// A callback from the police: full screen, who is calling ("Công an phường … đang gọi lại"), one big
// answer button (no card needed) and decline; once answered, the call screen with the officer.
import { Show, lazy } from 'solid-js';
import { lang } from '../i18n/index.ts';
import { answerCallback, callback, declineCallback, hangUpCallback, incoming } from '../state/followup.ts';
import { Joined, SilentSos } from './SilentSos.tsx';
import './followup.css';

const CallScreen = lazy(() => import('./CallScreen.tsx'));

const words = {
  vi: {
    calling: (ward: string) => `Công an ${ward} đang gọi lại`,
    who: (name: string) => `${name} gọi lại cho cuộc gọi khẩn cấp vừa rồi`,
    answer: 'Trả lời',
    decline: 'Từ chối',
    inCall: (name: string) => `Đang nói chuyện với ${name}`,
    ended: 'Cuộc gọi đã kết thúc',
  },
  en: {
    calling: (ward: string) => `${ward} police are calling you back`,
    who: (name: string) => `${name} is calling back about your emergency call`,
    answer: 'Answer',
    decline: 'Decline',
    inCall: (name: string) => `In a call with ${name}`,
    ended: 'The call has ended',
  },
};
const w = () => words[lang()];

export function IncomingCall() {
  return (
    <Show when={incoming()}>
      {(i) => (
        <section class="incoming" role="alertdialog" aria-label={w().calling(i().callback.ward)}>
          <h1>{w().calling(i().callback.ward)}</h1>
          <p>{w().who(i().callback.officer.displayName)}</p>
          <div class="actions">
            <button type="button" class="pick" onClick={() => void answerCallback()}>
              {w().answer}
            </button>
            <button type="button" class="decline" onClick={() => void declineCallback()}>
              {w().decline}
            </button>
          </div>
        </section>
      )}
    </Show>
  );
}

/** The answered callback: the shared call screen, who joined, and the silent SOS. */
export function CallbackCall() {
  return (
    <Show when={callback()}>
      {(c) => (
        <CallScreen
          media={() => c().media}
          peer={() => c().callback.officer.displayName}
          status={() => (c().call.status === 'ended' ? w().ended : w().inCall(c().callback.officer.displayName))}
          live={() => c().call.status !== 'ended'}
          onHangup={() => void hangUpCallback()}
        >
          <Joined callId={c().call.id} />
          <SilentSos callId={c().call.id} live={c().call.status !== 'ended'} />
        </CallScreen>
      )}
    </Show>
  );
}
