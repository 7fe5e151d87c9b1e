// The SOS before the hub has the call: "calling…", or "calling… retrying" while the hub is
// unreachable (the agent keeps re-sending), always with 113 to dial by hand.
import { t } from '../i18n/index.ts';
import { sos } from '../state/sos.ts';
import { hubUp } from '../state/agent-socket.ts';

export function SosProgress() {
  const retrying = () => {
    const s = sos();
    return !hubUp() || (s.state === 'sending' && s.attempts > 1);
  };
  return (
    <section class="sos-progress" aria-live="assertive">
      <p class="status huge" role="status">
        {retrying() ? t().retrying : t().calling}
      </p>
      {retrying() ? <p class="muted center">{t().retryingWhy}</p> : null}
      <div class="fallback">
        {t().fallback}
        <strong>113</strong>
      </div>
    </section>
  );
}
