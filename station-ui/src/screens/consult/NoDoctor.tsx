// Honest dead ends: no doctor on duty, or the service not reachable. SOS stays in the bar below.
import { t } from '../../i18n/index.ts';
import { go } from '../../state/navigation.ts';
import { loadAvailability } from '../../state/consult.ts';

export function NoDoctor(props: { kind: 'no_doctor' | 'unavailable' }) {
  return (
    <section class="page">
      <h2>{props.kind === 'no_doctor' ? t().noDoctorTitle : t().consultTitle}</h2>
      <p class="panel" role="status">
        {props.kind === 'no_doctor' ? t().noDoctorBody : t().consultUnavailable}
      </p>
      <div class="fallback">
        {t().ambulance}
        <strong>115</strong>
      </div>
      <p class="numbers">{t().numbers}</p>
      <div class="actions">
        <button type="button" class="primary" onClick={loadAvailability}>
          {t().tryAgain}
        </button>
        <button type="button" class="secondary" onClick={() => go('home')}>
          {t().home}
        </button>
      </div>
    </section>
  );
}
