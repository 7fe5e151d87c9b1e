// Seeing a doctor, by the consult's state: reason -> waiting room -> video call -> advice.
import { Match, Switch, lazy } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { blocker, cancelConsult, consult, consultMedia } from '../../state/consult.ts';
import { raiseSos } from '../../state/sos.ts';
import { ReasonPicker } from './ReasonPicker.tsx';
import { WaitingRoom } from './WaitingRoom.tsx';
import { NoDoctor } from './NoDoctor.tsx';
import { ConsultSummary } from './ConsultSummary.tsx';

// The video code loads only when a call starts.
const CallScreen = lazy(() => import('../../call/CallScreen.tsx'));

export function Consult() {
  return (
    <Switch fallback={<ReasonPicker />}>
      <Match when={consult()?.status === 'waiting' && consult()}>{(c) => <WaitingRoom consult={c()} />}</Match>
      <Match when={consult()?.status === 'in_call' && consult()}>
        {(c) => {
          const name = () => c().clinician?.displayName ?? '';
          const role = () => (c().clinician ? (t().role[c().clinician!.role] ?? c().clinician!.role) : '');
          return (
            <CallScreen
              media={() => consultMedia(c().id)}
              peer={() => name() || role()}
              status={() => (c().clinician ? t().inCallWith(name()) : t().connectingDoctor)}
              // not "talking with the doctor" over an empty screen: who is coming, until their video shows
              statusUntilVideo={() => (c().clinician ? t().videoConnecting(name()) : t().connectingDoctor)}
              live={() => true}
              onHangup={cancelConsult}
              // a leaning hand or a child must not cut the doctor off
              confirmHangup={() => t().hangupDoctorConfirm}
            >
              <p class="call-role">{role()}</p>
              {/* SOS stays one tap away during the consult: it ends the consult and calls the ward police */}
              <button
                type="button"
                class="call-sos"
                // the consult ends only when the call really goes out (not if the countdown is cancelled)
                onClick={() => raiseSos(cancelConsult)}
              >
                ☎ {t().sosShort}
              </button>
            </CallScreen>
          );
        }}
      </Match>
      <Match when={consult()}>{(c) => <ConsultSummary consult={c()} />}</Match>
      <Match when={blocker() === 'no_doctor' || blocker() === 'unavailable'}>
        <NoDoctor kind={blocker() as 'no_doctor'} />
      </Match>
      <Match when={blocker() === 'no_session'}>
        <p class="panel status" role="alert">
          {t().needCardConsult}
        </p>
      </Match>
    </Switch>
  );
}
