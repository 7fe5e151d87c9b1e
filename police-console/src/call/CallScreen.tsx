// The officer's side of an emergency call: the shared call view (hang-up lives in the pinned
// action bar) beside the caller card.
import { Show } from 'solid-js';
import type { CallView as Call, MediaGrantView } from '@tram/contracts';
import { CallView } from '@tram/console-ui/call';
import { i18n, t } from '../i18n.ts';
import { CallerCard } from './CallerCard.tsx';
import { Responders } from './Responders.tsx';
import { Chat } from './Chat.tsx';

export default function CallScreen(props: {
  call: Call;
  media: MediaGrantView;
  version: number;
  onOpen: (id: string) => void;
  onLeave?: () => void;
}) {
  return (
    <section class="in-call" aria-label={t('inCallWith', { station: props.call.station.name })}>
      <div class="media-col">
        <h2>{t('inCallWith', { station: props.call.station.name })}</h2>
        <Show when={props.call.note}>
          <p class="note">{props.call.note}</p>
        </Show>
        <CallView media={props.media} remoteLabel={t('resident')} lang={i18n.lang()} />
        <Chat callId={props.call.id} />
        <Responders call={props.call} onLeft={props.onLeave} />
      </div>
      <CallerCard callId={props.call.id} version={props.version} answeredByMe onOpen={props.onOpen} />
    </section>
  );
}
