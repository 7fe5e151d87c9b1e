// The booth's guided steps, in the order a resident does them seated first, then standing.
// A step is offered when the agent reports a device of one of its kinds.
import type { BoothKind } from '@tram/contracts';
import type { Strings } from '../../i18n/index.ts';

export interface Step {
  id: 'bp' | 'oximeter' | 'temperature' | 'weight' | 'height';
  /** What the step's device measures; the first is what it waits for. */
  kinds: readonly BoothKind[];
  title: keyof Strings & `step${string}`;
  how: keyof Strings & `step${string}How`;
}

export const STEPS: readonly Step[] = [
  { id: 'bp', kinds: ['blood_pressure'], title: 'stepBp', how: 'stepBpHow' },
  { id: 'oximeter', kinds: ['spo2', 'heart_rate'], title: 'stepOximeter', how: 'stepOximeterHow' },
  { id: 'temperature', kinds: ['temperature'], title: 'stepTemperature', how: 'stepTemperatureHow' },
  { id: 'weight', kinds: ['weight'], title: 'stepWeight', how: 'stepWeightHow' },
  { id: 'height', kinds: ['height'], title: 'stepHeight', how: 'stepHeightHow' },
];

/** Kinds each step's device is configured as (the oximeter is configured as spo2, the cuff as blood_pressure). */
export const deviceKinds: Record<Step['id'], readonly BoothKind[]> = {
  bp: ['blood_pressure'],
  oximeter: ['spo2', 'heart_rate'],
  temperature: ['temperature'],
  weight: ['weight'],
  height: ['height'],
};
