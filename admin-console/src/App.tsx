// The administrators' console: the fleet (status of every station, filter by ward, a station's
// timeline, enrolment codes as text and QR, rotating and retiring), staff accounts and the audit
// trail. Vietnamese first, English alongside.
import { For, Match, Show, Switch, createEffect, createSignal, on, onMount } from 'solid-js';
import type {
  AuditRowView,
  EnrolmentView,
  FleetStationDetail,
  FleetStationView,
  HubEvent,
  OneTimePasswordView,
  StaffAdminView,
  StaffView,
} from '@tram/contracts';
import { STAFF_ROLES } from '@tram/contracts';
import { followHubEvents } from '@tram/console-ui/hub-events';
import { StaffGate } from '@tram/console-ui/staff-gate';
import { encodeQR } from 'qr';
import { call } from './http.ts';
import { SelfTests } from './SelfTests.tsx';

export function App() {
  return (
    <StaffGate title="Đăng nhập — Quản trị / Administration">
      {(me, signOut) => (
        <Show when={me.role === 'admin'} fallback={<p class="error">Chỉ dành cho quản trị viên / Administrators only</p>}>
          <Console me={me} onOut={signOut} />
        </Show>
      )}
    </StaffGate>
  );
}

type Ward = { id: number; code: string; name: string };
type Alert = Extract<HubEvent, { type: 'station.alert' }>['data'];

const STATUS: Record<FleetStationView['status'], string> = {
  ok: 'Hoạt động tốt / OK',
  degraded: 'Suy giảm / Degraded',
  offline: 'Mất kết nối / Offline',
  never_seen: 'Chưa kết nối / Never seen',
  retired: 'Đã ngừng / Retired',
};
const time = (s: string | null) => (s ? new Date(s).toLocaleString('vi-VN') : '—');

function Console(props: { me: StaffView; onOut: () => Promise<void> }) {
  const [tab, setTab] = createSignal<'fleet' | 'staff' | 'audit'>('fleet');
  const [wards, setWards] = createSignal<Ward[]>([]);
  const [alerts, setAlerts] = createSignal<Alert[]>([]);
  const [live, setLive] = createSignal(false);
  const [fleetVersion, setFleetVersion] = createSignal(0);
  onMount(async () => {
    const r = await call<{ wards: Ward[] }>('GET', '/api/admin/wards');
    if (r.ok) setWards(r.value.wards);
    followHubEvents({
      live: setLive,
      open: () => setFleetVersion((v) => v + 1),
      event: (e) => {
        if (e.type === 'station.alert') {
          const a = e.data;
          setAlerts((xs) => [...xs.filter((x) => !(x.stationId === a.stationId && x.kind === a.kind)), ...(a.raised ? [a] : [])]);
        }
        if (e.type === 'station.alert' || e.type === 'fleet.changed' || e.type === 'selftest.changed') setFleetVersion((v) => v + 1);
      },
    });
  });
  return (
    <>
      <header>
        <h1>Trạm — Quản trị / Administration — {props.me.displayName}</h1>
        <nav>
          <button type="button" classList={{ on: tab() === 'fleet' }} onClick={() => setTab('fleet')}>
            Trạm / Stations
          </button>
          <button type="button" classList={{ on: tab() === 'staff' }} onClick={() => setTab('staff')}>
            Nhân sự / Staff
          </button>
          <button type="button" classList={{ on: tab() === 'audit' }} onClick={() => setTab('audit')}>
            Nhật ký / Audit
          </button>
        </nav>
        <span>{live() ? 'Trực tuyến / Live' : 'Mất kết nối / Offline'}</span>
        <button type="button" onClick={() => void props.onOut()}>
          Đăng xuất / Log out
        </button>
      </header>
      <Show when={alerts().length}>
        <section class="alerts" role="alert">
          <For each={alerts()}>
            {(a) => (
              <p class="alert" data-alert={`${a.code}:${a.kind}`}>
                {a.kind === 'offline' ? 'Trạm mất kết nối / Station offline' : 'Đường SOS hỏng / SOS path broken'}: <b>{a.name}</b> (
                {a.code}) — {a.detail}
              </p>
            )}
          </For>
        </section>
      </Show>
      <main>
        <Switch>
          <Match when={tab() === 'fleet'}>
            <Fleet wards={wards()} version={fleetVersion()} />
          </Match>
          <Match when={tab() === 'staff'}>
            <Staff wards={wards()} />
          </Match>
          <Match when={tab() === 'audit'}>
            <Audit />
          </Match>
        </Switch>
      </main>
    </>
  );
}

function EnrolmentCode(props: { e: EnrolmentView }) {
  const qr = () => encodeQR(props.e.code, 'svg');
  return (
    <div class="enrol" data-testid="enrolment">
      <p>
        Mã đăng ký (dùng một lần, hết hạn {time(props.e.expiresAt)}) / One-time enrolment code (expires {time(props.e.expiresAt)}):
      </p>
      <p class="code">{props.e.code}</p>
      <img alt={`QR ${props.e.code}`} width="180" height="180" src={`data:image/svg+xml;utf8,${encodeURIComponent(qr())}`} />
      <p>
        Trên máy trạm / on the kiosk PC: <code>npm run agent -- enrol {props.e.code}</code>
      </p>
    </div>
  );
}

function Fleet(props: { wards: Ward[]; version: number }) {
  const [ward, setWard] = createSignal('');
  const [stations, setStations] = createSignal<FleetStationView[]>([]);
  const [open, setOpen] = createSignal<string | null>(null);
  const [enrolment, setEnrolment] = createSignal<EnrolmentView | null>(null);
  const [error, setError] = createSignal('');
  const load = async () => {
    const r = await call<{ stations: FleetStationView[] }>('GET', `/api/admin/stations${ward() ? `?wardId=${ward()}` : ''}`);
    if (r.ok) setStations(r.value.stations);
  };
  // reload whenever the hub says the fleet changed (props.version) or the filter changes
  let last = -1;
  const tick = () => {
    if (props.version !== last) {
      last = props.version;
      void load();
    }
  };
  onMount(() => {
    const t = setInterval(tick, 300);
    tick();
    return () => clearInterval(t);
  });
  // the "offline since" of a station shows even without an event (e.g. a page opened later)
  onMount(() => {
    const t = setInterval(() => void load(), 10_000);
    return () => clearInterval(t);
  });
  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    setError('');
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    const body = {
      code: s('code'),
      name: s('name'),
      address: s('address'),
      wardId: Number(s('wardId')),
      ...(s('building') ? { building: s('building') } : {}),
      ...(s('floor') ? { floor: s('floor') } : {}),
      devicesExpected: s('devices')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    };
    const r = await call<EnrolmentView>('POST', '/api/admin/stations', body);
    if (!r.ok) return setError(r.message);
    setEnrolment(r.value);
    form.reset();
    void load();
  };
  return (
    <>
      <section class="card">
        <h2>Đội trạm / Fleet</h2>
        <label>
          Phường / Ward{' '}
          <select
            name="ward-filter"
            onChange={(e) => {
              setWard(e.currentTarget.value);
              void load();
            }}
          >
            <option value="">Tất cả / All</option>
            <For each={props.wards}>{(w) => <option value={w.id}>{w.name}</option>}</For>
          </select>
        </label>
        <table>
          <thead>
            <tr>
              <th>Trạm / Station</th>
              <th>Phường / Ward</th>
              <th>Trạng thái / Status</th>
              <th>Chi tiết / Detail</th>
              <th>Lần cuối / Last seen</th>
            </tr>
          </thead>
          <tbody>
            <For each={stations()}>
              {(s) => (
                <tr data-station={s.code} class={s.status} onClick={() => setOpen(s.id)}>
                  <td>
                    <b>{s.name}</b>
                    <br />
                    {s.code} · {[s.building, s.floor].filter(Boolean).join(', ')}
                  </td>
                  <td>{s.wardName}</td>
                  <td class="status" data-status={s.status}>
                    {STATUS[s.status]}
                    <Show when={s.status === 'offline'}> — từ / since {time(s.offlineSince)}</Show>
                  </td>
                  <td class="problems">{s.problems.join('; ')}</td>
                  <td>{time(s.lastSeenAt)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </section>
      <Show when={open()} keyed>
        {(id) => <StationPage id={id} version={props.version} onClose={() => setOpen(null)} onChanged={() => void load()} />}
      </Show>
      <section class="card">
        <h2>Thêm trạm / New station</h2>
        <form class="grid" onSubmit={create}>
          <label>
            Mã / Code <input name="code" required pattern="[A-Za-z0-9._-]{1,64}" />
          </label>
          <label>
            Tên / Name <input name="name" required />
          </label>
          <label>
            Tòa nhà / Building <input name="building" />
          </label>
          <label>
            Sảnh, tầng / Lobby, floor <input name="floor" />
          </label>
          <label>
            Địa chỉ / Address <input name="address" required />
          </label>
          <label>
            Phường / Ward{' '}
            <select name="wardId" required>
              <For each={props.wards}>{(w) => <option value={w.id}>{w.name}</option>}</For>
            </select>
          </label>
          <label>
            Thiết bị cần có / Devices expected <input name="devices" placeholder="thermometer, blood_pressure" />
          </label>
          <button type="submit">Tạo trạm / Create</button>
        </form>
        <Show when={error()}>
          <p class="error">{error()}</p>
        </Show>
        <Show when={enrolment()} keyed>
          {(e) => <EnrolmentCode e={e} />}
        </Show>
      </section>
    </>
  );
}

function StationPage(props: { id: string; version: number; onClose: () => void; onChanged: () => void }) {
  const [d, setD] = createSignal<FleetStationDetail | null>(null);
  const [enrolment, setEnrolment] = createSignal<EnrolmentView | null>(null);
  const [message, setMessage] = createSignal('');
  const load = async () => {
    const r = await call<FleetStationDetail>('GET', `/api/admin/stations/${props.id}`);
    if (r.ok) setD(r.value);
  };
  // reloaded when the hub says something changed (a self-test step, a device, an alert)
  createEffect(
    on(
      () => props.version,
      () => void load(),
    ),
  );
  const act = async (what: 'enrolment' | 'credential' | 'retire') => {
    if (
      what === 'retire' &&
      !confirm('Ngừng trạm này? Thông tin xác thực sẽ hết hiệu lực ngay. / Retire this station? Its credential stops working at once.')
    )
      return;
    const r = await call<EnrolmentView & { credential?: string }>('POST', `/api/admin/stations/${props.id}/${what}`);
    if (!r.ok) return setMessage(r.message);
    if (what === 'enrolment') setEnrolment(r.value);
    if (what === 'credential') setMessage('Đã đổi; máy trạm cần đăng ký lại / Rotated: the kiosk must enrol again');
    if (what === 'retire') setMessage('Đã ngừng / Retired');
    props.onChanged();
    void load();
  };
  return (
    <Show when={d()}>
      {(x) => (
        <section class="card station" data-testid="station-page">
          <h2>
            {x().station.name} ({x().station.code}){' '}
            <button type="button" onClick={props.onClose}>
              Đóng / Close
            </button>
          </h2>
          <p>
            {x().station.address} · {x().station.wardName} · {STATUS[x().station.status]}
          </p>
          <Show when={x().station.status !== 'retired'}>
            <p>
              <button type="button" onClick={() => void act('enrolment')}>
                Mã đăng ký mới / New enrolment code
              </button>{' '}
              <button type="button" onClick={() => void act('credential')}>
                Đổi thông tin xác thực / Rotate credential
              </button>{' '}
              <button type="button" class="danger" onClick={() => void act('retire')}>
                Ngừng trạm / Retire
              </button>
            </p>
          </Show>
          <Show when={message()}>
            <p>{message()}</p>
          </Show>
          <Show when={enrolment()} keyed>
            {(e) => <EnrolmentCode e={e} />}
          </Show>
          <SelfTests
            stationId={x().station.id}
            runs={x().selfTests}
            active={x().station.status !== 'retired'}
            onStarted={() => void load()}
          />
          <h3>Dòng thời gian thiết bị / Device timeline</h3>
          <ul class="timeline">
            <For each={x().timeline}>
              {(e) => (
                <li>
                  {time(e.at)} — {e.kind} {JSON.stringify(e.detail)}
                </li>
              )}
            </For>
          </ul>
          <h3>Cuộc gọi gần đây / Recent calls</h3>
          <ul>
            <For each={x().calls}>
              {(c) => (
                <li>
                  <a href={`#audit:call:${c.id}`}>{time(c.createdAt)}</a> — {c.status} {c.endReason ?? ''}
                </li>
              )}
            </For>
          </ul>
          <h3>Khám bác sĩ gần đây / Recent consults</h3>
          <ul>
            <For each={x().consults}>
              {(c) => (
                <li>
                  {time(c.createdAt)} — {c.status}
                </li>
              )}
            </For>
          </ul>
        </section>
      )}
    </Show>
  );
}

function Staff(props: { wards: Ward[] }) {
  const [staff, setStaff] = createSignal<StaffAdminView[]>([]);
  const [shown, setShown] = createSignal<OneTimePasswordView | null>(null);
  const [error, setError] = createSignal('');
  const load = async () => {
    const r = await call<{ staff: StaffAdminView[] }>('GET', '/api/admin/staff');
    if (r.ok) setStaff(r.value.staff);
  };
  onMount(load);
  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const r = await call<OneTimePasswordView>('POST', '/api/admin/staff', {
      username: String(f.get('username')),
      displayName: String(f.get('displayName')),
      role: String(f.get('role')),
      wardIds: f.getAll('wardIds').map(Number),
    });
    if (!r.ok) return setError(r.message);
    setError('');
    setShown(r.value);
    void load();
  };
  const act = async (s: StaffAdminView, what: 'reset-password' | 'deactivate') => {
    const r = await call<OneTimePasswordView>('POST', `/api/admin/staff/${s.id}/${what}`);
    if (!r.ok) return setError(r.message);
    if (what === 'reset-password') setShown(r.value);
    void load();
  };
  return (
    <section class="card">
      <h2>Nhân sự / Staff</h2>
      <Show when={shown()} keyed>
        {(v) => (
          <p class="enrol">
            Mật khẩu dùng một lần cho / One-time password for <b>{v.staff.username}</b>: <code class="code">{v.oneTimePassword}</code> (đổi
            khi đăng nhập lần đầu / changed at first login)
          </p>
        )}
      </Show>
      <table>
        <thead>
          <tr>
            <th>Tên đăng nhập / Username</th>
            <th>Họ tên / Name</th>
            <th>Vai trò / Role</th>
            <th>Phường / Wards</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <For each={staff()}>
            {(s) => (
              <tr data-staff={s.username} class={s.active ? '' : 'retired'}>
                <td>{s.username}</td>
                <td>{s.displayName}</td>
                <td>{s.role}</td>
                <td>{s.wardIds.map((id) => props.wards.find((w) => w.id === id)?.name ?? id).join(', ')}</td>
                <td>
                  <Show when={s.active} fallback="Đã khóa / Deactivated">
                    <button type="button" onClick={() => void act(s, 'reset-password')}>
                      Đặt lại mật khẩu / Reset password
                    </button>{' '}
                    <button type="button" class="danger" onClick={() => void act(s, 'deactivate')}>
                      Khóa / Deactivate
                    </button>
                  </Show>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <h3>Thêm tài khoản / New account</h3>
      <form class="grid" onSubmit={create}>
        <label>
          Tên đăng nhập / Username <input name="username" required />
        </label>
        <label>
          Họ tên / Name <input name="displayName" required />
        </label>
        <label>
          Vai trò / Role{' '}
          <select name="role">
            <For each={[...STAFF_ROLES]}>{(r) => <option value={r}>{r}</option>}</For>
          </select>
        </label>
        <label>
          Phường / Wards{' '}
          <select name="wardIds" multiple>
            <For each={props.wards}>{(w) => <option value={w.id}>{w.name}</option>}</For>
          </select>
        </label>
        <button type="submit">Tạo / Create</button>
      </form>
      <Show when={error()}>
        <p class="error">{error()}</p>
      </Show>
    </section>
  );
}

function Audit() {
  const [rows, setRows] = createSignal<AuditRowView[]>([]);
  const [query, setQuery] = createSignal('');
  const search = async (e?: SubmitEvent) => {
    e?.preventDefault();
    const f = e ? new FormData(e.currentTarget as HTMLFormElement) : new FormData();
    const q = new URLSearchParams();
    for (const k of ['actor', 'subject', 'action']) {
      const v = String(f.get(k) ?? '').trim();
      if (v) q.set(k, v);
    }
    for (const k of ['from', 'to']) {
      const v = String(f.get(k) ?? '');
      if (v) q.set(k, new Date(v).toISOString());
    }
    setQuery(q.toString());
    const r = await call<{ rows: AuditRowView[] }>('GET', `/api/admin/audit?${q}`);
    if (r.ok) setRows(r.value.rows);
  };
  onMount(() => void search());
  // call:… and consult:… subjects link to the filtered trail of that call or consult
  const subjectLink = (s: string) => (/^(call|consult|station|citizen):/.test(s) ? `?subject=${encodeURIComponent(s)}` : null);
  return (
    <section class="card">
      <h2>Nhật ký truy cập / Audit trail</h2>
      <form class="grid" onSubmit={search}>
        <label>
          Người thực hiện / Actor <input name="actor" placeholder="staff:quantri" />
        </label>
        <label>
          Đối tượng / Subject <input name="subject" placeholder="citizen, call:…, station:…" />
        </label>
        <label>
          Hành động / Action <input name="action" />
        </label>
        <label>
          Từ / From <input name="from" type="datetime-local" />
        </label>
        <label>
          Đến / To <input name="to" type="datetime-local" />
        </label>
        <button type="submit">Lọc / Filter</button>
        <a href={`/api/admin/audit.csv?${query()}`} download="audit.csv">
          Xuất CSV / Export CSV
        </a>
      </form>
      <table>
        <thead>
          <tr>
            <th>Lúc / At</th>
            <th>Người / Actor</th>
            <th>Hành động / Action</th>
            <th>Đối tượng / Subject</th>
          </tr>
        </thead>
        <tbody>
          <For each={rows()}>
            {(r) => (
              <tr>
                <td>{time(r.at)}</td>
                <td>{r.actor}</td>
                <td>{r.action}</td>
                <td>
                  <Show when={subjectLink(r.subject)} fallback={r.subject}>
                    {(href) => (
                      <a
                        href={href()}
                        onClick={(e) => {
                          e.preventDefault();
                          const form = (e.currentTarget.closest('section') as HTMLElement).querySelector('form')!;
                          (form.elements.namedItem('subject') as HTMLInputElement).value = r.subject;
                          form.requestSubmit();
                        }}
                      >
                        {r.subject}
                      </a>
                    )}
                  </Show>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  );
}
