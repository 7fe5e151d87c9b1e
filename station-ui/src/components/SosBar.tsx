// The emergency button on every screen other than the start (which has the big one): one tap away.
import { t } from '../i18n/index.ts';
import { raiseSos } from '../state/sos.ts';

export function SosBar() {
  return (
    <div class="sos-bar">
      <button type="button" class="sos-small" onClick={() => raiseSos()}>
        <span aria-hidden="true">☎ </span>
        {t().sosShort}
        <small>{t().sosHint}</small>
      </button>
    </div>
  );
}
