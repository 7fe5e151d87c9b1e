// "Đau ngực" or "Khó thở": before any doctor queue, the question that matters — call 115 for an
// ambulance. The kiosk cannot dial 115 itself, so the number is shown large; the kiosk's own call
// is the ward police, who help. The resident can still choose a video doctor.
import { t } from '../../i18n/index.ts';
import { raiseSos } from '../../state/sos.ts';

export function Ambulance(props: { onDoctor: () => void; onBack: () => void }) {
  return (
    <section class="page ambulance" aria-labelledby="ambulance-title">
      <h2 id="ambulance-title" class="ambulance-title">
        {t().ambulanceTitle}
      </h2>
      <p class="panel">{t().ambulanceWhy}</p>
      <div class="fallback">
        {t().ambulanceNoDial}
        <strong>115</strong>
      </div>
      <p class="numbers">{t().numbers}</p>
      <button type="button" class="primary urgent wide-main" onClick={() => raiseSos()}>
        ☎ {t().ambulancePolice}
        <small>{t().ambulancePoliceHint}</small>
      </button>
      <div class="actions">
        <button type="button" class="secondary" onClick={props.onDoctor}>
          {t().ambulanceDoctor}
        </button>
        <button type="button" class="secondary" onClick={props.onBack}>
          {t().back}
        </button>
      </div>
    </section>
  );
}
