// One vital sign over time as a small uPlot chart; redrawn in place (setData) as samples arrive.
import { onCleanup, onMount, createEffect } from 'solid-js';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Sample } from '../fhir/observations.ts';
import type { VitalKind } from '@tram/contracts';

const SERIES: Partial<Record<VitalKind, { label: string; stroke: string; pick(s: Sample): number | undefined }[]>> = {
  blood_pressure: [
    { label: 'Tâm thu / Sys', stroke: '#c8102e', pick: (s) => s.values?.systolic },
    { label: 'Tâm trương / Dia', stroke: '#1f5fbf', pick: (s) => s.values?.diastolic },
  ],
  spo2: [{ label: 'SpO₂ %', stroke: '#6a1b9a', pick: (s) => s.value }],
  heart_rate: [{ label: '/ph', stroke: '#b35c00', pick: (s) => s.value }],
  temperature: [{ label: '°C', stroke: '#1b7f3b', pick: (s) => s.value }],
  respiratory_rate: [{ label: '/ph', stroke: '#455a64', pick: (s) => s.value }],
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
  onMount(() => {
    plot = new uPlot(
      {
        width: 300,
        height: 130,
        legend: { show: true, live: false },
        scales: { x: { time: true } },
        series: [{}, ...series.map((d) => ({ label: d.label, stroke: d.stroke, width: 2, points: { show: true, size: 5 } }))],
        axes: [{ size: 28 }, { size: 40 }],
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
