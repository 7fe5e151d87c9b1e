// One vital sign over time as a small uPlot chart; redrawn in place (setData) as samples arrive.
// The legend's words are taken when the chart is drawn (uPlot does not re-render them).
import { onCleanup, onMount, createEffect } from 'solid-js';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Sample } from '../fhir/observations.ts';
import type { VitalKind } from '@tram/contracts';
import { t } from '../i18n.ts';
import { CLINICAL, clock24 } from '../vitals/format.ts';

const SERIES: Partial<Record<VitalKind, { label: () => string; stroke: string; pick(s: Sample): number | undefined }[]>> = {
  blood_pressure: [
    { label: () => t('systolic'), stroke: '#c8102e', pick: (s) => s.values?.systolic },
    { label: () => t('diastolic'), stroke: '#1f5fbf', pick: (s) => s.values?.diastolic },
  ],
  spo2: [{ label: () => 'SpO₂ %', stroke: '#6a1b9a', pick: (s) => s.value }],
  heart_rate: [{ label: () => '/ph', stroke: '#b35c00', pick: (s) => s.value }],
  temperature: [{ label: () => '°C', stroke: '#1b7f3b', pick: (s) => s.value }],
  respiratory_rate: [{ label: () => '/ph', stroke: '#455a64', pick: (s) => s.value }],
};
export const charted = (k: VitalKind) => k in SERIES;

export function VitalChart(props: { kind: VitalKind; samples: Sample[] }) {
  let el!: HTMLDivElement;
  let plot: uPlot | undefined;
  const series = SERIES[props.kind]!;
  const data = (): uPlot.AlignedData => {
    const xs = [...props.samples].sort((a, b) => a.at - b.at);
    return [xs.map((s) => s.at / 1000), ...series.map((d) => xs.map((s) => d.pick(s) ?? null))] as uPlot.AlignedData;
  };
  // The y axis spans the sign's clinical range (a reading is read against it, not auto-zoomed) and
  // the normal band is shaded; an out-of-range value widens the axis rather than falling off it.
  const clinical = CLINICAL[props.kind];
  const yRange = (_u: uPlot, min: number, max: number): uPlot.Range.MinMax =>
    clinical ? [Math.min(clinical.axis[0], min), Math.max(clinical.axis[1], max)] : [min, max];
  const band = (u: uPlot) => {
    if (!clinical) return;
    const ctx = u.ctx;
    const { left, width } = u.bbox;
    const shade = (lo: number, hi: number, fill: string) => {
      const top = u.valToPos(hi, 'y', true);
      const bottom = u.valToPos(lo, 'y', true);
      ctx.save();
      ctx.fillStyle = fill;
      ctx.fillRect(left, top, width, bottom - top);
      ctx.restore();
    };
    shade(clinical.normal[0], clinical.normal[1], 'rgba(27, 127, 59, 0.14)');
    if (clinical.normalDia) shade(clinical.normalDia[0], clinical.normalDia[1], 'rgba(31, 95, 191, 0.12)');
  };
  onMount(() => {
    plot = new uPlot(
      {
        width: 300,
        height: 150,
        legend: { show: true, live: false },
        scales: { x: { time: true }, y: { range: yRange } },
        series: [{}, ...series.map((d) => ({ label: d.label(), stroke: d.stroke, width: 2, points: { show: true, size: 5 } }))],
        // 24-hour times on the x axis
        axes: [{ size: 28, values: (_u, splits) => splits.map((s) => clock24(s * 1000)) }, { size: 40 }],
        hooks: { drawClear: [band] },
      },
      data(),
      el,
    );
    frame(data());
  });
  // uPlot stretches a single reading over years: always show at least the last 10 minutes
  const frame = (d: uPlot.AlignedData) => {
    const xs = d[0] as number[];
    if (!plot || !xs.length) return;
    const max = xs[xs.length - 1]!,
      min = Math.min(xs[0]!, max - 600);
    plot.setScale('x', { min: min - 30, max: max + 30 });
  };
  createEffect(() => {
    const d = data();
    plot?.setData(d);
    frame(d);
  });
  onCleanup(() => plot?.destroy());
  return <div ref={el} class="chart" data-testid={`chart-${props.kind}`} />;
}
