// Sign-in, then the console, in one language at a time (Vietnamese by default).
import { StaffGate } from '@tram/console-ui/staff-gate';
import { Console } from './Console.tsx';
import { i18n, t } from './i18n.ts';

export function App() {
  return (
    <StaffGate title={t('signIn')} i18n={i18n}>
      {(me, signOut) => <Console me={me} onOut={signOut} />}
    </StaffGate>
  );
}
