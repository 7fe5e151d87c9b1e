// The demo control page: what a person at a real station does with their hands (insert the card,
// step on the scale, clip on the oximeter …), as buttons, for trying every flow without hardware.
// Served on its own loopback port, never on the kiosk screen.
import type { DemoCard } from './card-slot.ts';
import { SCENARIOS } from './booth.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function controlPage(residents: DemoCard[], kioskUrl: string): string {
  const cards = residents
    .map(
      (r) => `<li><button data-post="/demo/card" data-body='{"insert":"${esc(r.key)}"}'>Đưa thẻ vào · Insert</button>
      <b>${esc(r.fullName)}</b> (${esc(r.sex)}, ${esc(r.dateOfBirth)}) — CAN <code>${esc(r.can)}</code></li>`,
    )
    .join('');
  const scenarios = Object.entries(SCENARIOS)
    .map(
      ([k, v]) => `<label><input type="radio" name="scenario" value="${k}"> ${esc(LABEL[k] ?? k)}
      <small>${v.systolic}/${v.diastolic} mmHg · SpO₂ ${v.spo2} % · ${v.pulse}/ph · ${v.temperatureCel} °C</small></label>`,
    )
    .join('');
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Trạm — điều khiển trạm demo</title>
<style>
body{font:18px/1.5 system-ui,"Noto Sans",sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#111}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:1.6rem;border-bottom:1px solid #ccc}
button{font:inherit;padding:.4rem .9rem;margin:.2rem;border-radius:.4rem;border:1px solid #345;background:#eef3f8;cursor:pointer}
button.on{background:#0a5;color:#fff}li{margin:.3rem 0;list-style:none}ul{padding:0}label{display:block;margin:.3rem 0}
small{color:#555;margin-left:.5rem}#state{background:#f6f6f6;padding:.6rem;border-radius:.4rem;white-space:pre-wrap}
</style></head><body>
<h1>Trạm demo — bảng điều khiển <small>demo control</small></h1>
<p>Mở ki-ốt ở một cửa sổ khác: <a href="${esc(kioskUrl)}" target="kiosk">${esc(kioskUrl)}</a>.
Các nút dưới đây làm thay việc của người dân tại trạm. <small>Open the kiosk in another window; these buttons do what a resident does at the station.</small></p>
<h2>Thẻ căn cước <small>ID card</small></h2>
<ul>${cards}</ul>
<button data-post="/demo/card" data-body='{"remove":true}'>Rút thẻ · Remove card</button>
<h2>Chỉ số <small>values the devices will measure</small></h2>
<form id="scenario">${scenarios}</form>
<h2>Buồng đo <small>health booth</small></h2>
<p>
<button data-toggle="scale">Bước lên cân · Step on the scale</button>
<button data-toggle="height">Đứng dưới cảm biến chiều cao · Stand under the height sensor</button>
<button data-toggle="oximeter">Kẹp máy đo SpO₂ · Clip on the oximeter</button>
<button data-toggle="thermometer">Đưa trán lại gần nhiệt kế · Forehead to the thermometer</button>
</p>
<p><small>Máy đo huyết áp bơm khi người dân bấm “Bắt đầu đo” trên ki-ốt (hoặc bác sĩ yêu cầu đo lại). The cuff inflates when the kiosk's “Start” is pressed (or a doctor asks to re-measure).</small></p>
<h2>Trạng thái <small>state</small></h2>
<div id="state">…</div>
<script>
const post = (path, body) => fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(refresh);
document.querySelectorAll('[data-post]').forEach((b) => b.onclick = () => post(b.dataset.post, JSON.parse(b.dataset.body)));
document.querySelectorAll('[data-toggle]').forEach((b) => b.onclick = () => post('/demo/booth', { [b.dataset.toggle]: !b.classList.contains('on') }));
document.getElementById('scenario').onchange = (e) => post('/demo/booth', { scenario: e.target.value });
async function refresh() {
  const s = await (await fetch('/demo/state')).json();
  const names = { scale: 'onScale', height: 'underHeightSensor', oximeter: 'oximeterOn', thermometer: 'atThermometer' };
  document.querySelectorAll('[data-toggle]').forEach((b) => b.classList.toggle('on', !!s.booth[names[b.dataset.toggle]]));
  document.querySelectorAll('input[name=scenario]').forEach((r) => r.checked = r.value === s.booth.scenario);
  const card = s.residents.find((r) => r.key === s.card);
  document.getElementById('state').textContent = (card ? 'Thẻ trong đầu đọc: ' + card.fullName + ' (CAN ' + card.can + ')' : 'Không có thẻ trong đầu đọc · no card in the reader');
}
refresh(); setInterval(refresh, 2000);
</script></body></html>`;
}

const LABEL: Record<string, string> = {
  normal: 'Bình thường · normal',
  fever: 'Sốt · fever',
  low_spo2: 'SpO₂ thấp · low SpO₂',
  hypertensive_crisis: 'Cơn tăng huyết áp · hypertensive crisis',
};
