// The few seconds after the SOS tap: a full-screen spoken countdown with one huge "HỦY". The call
// goes out by itself when it runs out, so a real emergency loses only those seconds.
import { t } from '../i18n/index.ts';
import { cancelCountdown, countdown } from '../state/sos.ts';

export function SosCountdown() {
  return (
    <div class="sos-countdown" role="alertdialog" aria-modal="true" aria-labelledby="sos-countdown-title">
      <p id="sos-countdown-title" class="countdown-title" aria-live="assertive">
        {t().sosCountdown(countdown() ?? 0)}
      </p>
      <p class="countdown-number" aria-hidden="true">
        {countdown()}
      </p>
      <button type="button" class="cancel-huge" onClick={cancelCountdown}>
        {t().sosCancel}
      </button>
      <p class="countdown-hint">{t().sosCancelHint}</p>
      <p class="numbers">{t().numbers}</p>
    </div>
  );
}
