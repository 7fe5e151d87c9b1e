// Sign-in, then the console. Vietnamese first, English alongside.
import { StaffGate } from '@tram/console-ui/staff-gate';
import { Console } from './Console.tsx';

export function App() {
  return <StaffGate title="Đăng nhập — Bác sĩ / Clinician sign-in">{(me, signOut) => <Console me={me} onOut={signOut} />}</StaffGate>;
}
