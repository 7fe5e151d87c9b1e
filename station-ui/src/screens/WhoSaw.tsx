// "Who saw my information": every read of the identified resident's identity and health data by
// staff in the last 90 days — who, when, which data and why. The hub scopes it to the citizen
// session open now, so it shows only the resident at the kiosk their own log.
import { For, Match, Switch, createResource } from 'solid-js';
import type { AccessLogView } from '@tram/contracts';
import { lang, t } from '../i18n/index.ts';
import { hub } from '../clients/hub.ts';

async function load(): Promise<AccessLogView> {
  const r = await hub.api.audit.mine.$get();
  if (!r.ok) throw new Error(String(r.status));
  return (await r.json()) as AccessLogView;
}

const when = (iso: string) => new Date(iso).toLocaleString(lang() === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });

export function WhoSaw() {
  const [log] = createResource(load);
  return (
    <section class="page who-saw">
      <h2>{t().whoSawTitle}</h2>
      <Switch>
        <Match when={log.error}>
          <p class="panel note">{t().whoSawError}</p>
        </Match>
        <Match when={log.loading}>
          <p class="muted">{t().whoSawLoading}</p>
        </Match>
        <Match when={log()}>
          {(l) => (
            <>
              <p class="panel note">{t().whoSawIntro(l().days)}</p>
              <ul class="catalogue" data-testid="access-log">
                <For each={l().entries} fallback={<li class="panel item">{t().whoSawEmpty}</li>}>
                  {(e) => (
                    <li class="panel item">
                      <span class="item-title">
                        {t().accessRole[e.role] ?? t().accessRole.staff} {e.name}
                      </span>
                      <span>
                        {when(e.at)} · {t().accessData[e.data]} · {t().accessWhy[e.why]}
                      </span>
                      {e.reason ? <span class="muted">{t().accessReason(e.reason)}</span> : null}
                    </li>
                  )}
                </For>
              </ul>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}
