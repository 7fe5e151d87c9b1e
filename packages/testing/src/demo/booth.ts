// The demo station's health booth: one simulator per device, each on its own pseudo-terminal,
// speaking the device's real protocol to the agent's real driver. The demo control page changes
// what the simulated person does (steps on the scale, clips on the oximeter …) by changing the
// simulator's profile, which the simulators read on every tick.
import type { TestContext } from 'node:test';
import { PtyRig } from '../devices/pty-rig.ts';
import {
  A02yyuwSimulator,
  Cms50dLegacySimulator,
  GyMcu90614Simulator,
  type HeightProfile,
  MtSicsSimulator,
  Nibp2010Simulator,
  type OximeterProfile,
  type ScaleProfile,
} from '../devices/simulators.ts';

/** What the person in the booth presents: values a scenario sets. */
export interface BoothValues {
  weightKg: number;
  heightCm: number;
  spo2: number;
  pulse: number;
  temperatureCel: number;
  systolic: number;
  diastolic: number;
}

export const SCENARIOS = {
  normal: { weightKg: 62.4, heightCm: 163, spo2: 98, pulse: 74, temperatureCel: 36.7, systolic: 122, diastolic: 78 },
  fever: { weightKg: 62.4, heightCm: 163, spo2: 96, pulse: 96, temperatureCel: 38.8, systolic: 126, diastolic: 80 },
  low_spo2: { weightKg: 62.4, heightCm: 163, spo2: 88, pulse: 104, temperatureCel: 36.9, systolic: 130, diastolic: 84 },
  hypertensive_crisis: { weightKg: 62.4, heightCm: 163, spo2: 97, pulse: 88, temperatureCel: 36.8, systolic: 188, diastolic: 122 },
} as const satisfies Record<string, BoothValues>;
export type Scenario = keyof typeof SCENARIOS;
export const isScenario = (s: unknown): s is Scenario => typeof s === 'string' && s in SCENARIOS;

const MOUNT_CM = 230;
const AMBIENT_CEL = 28;
const NEVER = Number.MAX_SAFE_INTEGER;

/** A booth device as the agent is configured for it (the VITALS_DEVICES entry). */
export interface BoothDeviceConfig {
  id: string;
  kind: string;
  protocol: string;
  path: string;
  options: Record<string, unknown>;
}

export interface BoothState {
  scenario: Scenario;
  onScale: boolean;
  underHeightSensor: boolean;
  oximeterOn: boolean;
  atThermometer: boolean;
}

export class DemoBooth {
  private readonly cleanups: (() => unknown)[] = [];
  private readonly started = performance.now();
  private values: BoothValues = SCENARIOS.normal;
  readonly state: BoothState = { scenario: 'normal', onScale: false, underHeightSensor: false, oximeterOn: false, atThermometer: false };
  private readonly scale: ScaleProfile = { targetKg: 0, stepOnAtMs: 0 };
  private readonly height: HeightProfile = { mountHeightCm: MOUNT_CM };
  private readonly oximeter: OximeterProfile = { spo2: 98, pulseRate: 74, fingerInAtMs: NEVER };
  private readonly thermometer = { objectCel: AMBIENT_CEL, ambientCel: AMBIENT_CEL };
  private readonly cuff = { systolic: 122, diastolic: 78, pulse: 74 };
  devices: BoothDeviceConfig[] = [];

  /** Simulator virtual time runs at real speed from the start, so "now" in a profile is this. */
  private now = () => performance.now() - this.started;

  static async start(): Promise<DemoBooth> {
    const booth = new DemoBooth();
    try {
      await booth.plugAll();
    } catch (err) {
      await booth.stop();
      throw err;
    }
    booth.setScenario('normal');
    return booth;
  }

  private async plugAll() {
    // PtyRig registers its cleanup with a test context; the demo keeps the cleanups itself.
    const context = {
      skip: (m: string) => {
        throw new Error(m);
      },
      after: (f: () => unknown) => this.cleanups.push(f),
    } as unknown as TestContext;
    const rig = async () => (await PtyRig.create(context))!;
    const [scale, height, oximeter, thermometer, cuff] = [await rig(), await rig(), await rig(), await rig(), await rig()];
    scale.attach(new MtSicsSimulator(this.scale));
    height.attach(new A02yyuwSimulator(this.height));
    oximeter.attach(new Cms50dLegacySimulator(this.oximeter));
    thermometer.attach(new GyMcu90614Simulator(this.thermometer));
    // A real cuff takes ~40 s; four times faster keeps the demo moving.
    cuff.attach(new Nibp2010Simulator(this.cuff), 4);
    this.devices = [
      { id: 'demo-bp', kind: 'blood_pressure', protocol: 'nibp2010', path: cuff.hostPath, options: {} },
      { id: 'demo-oximeter', kind: 'spo2', protocol: 'cms50d-legacy', path: oximeter.hostPath, options: {} },
      { id: 'demo-thermometer', kind: 'temperature', protocol: 'gy-mcu90614', path: thermometer.hostPath, options: {} },
      { id: 'demo-scale', kind: 'weight', protocol: 'mt-sics', path: scale.hostPath, options: {} },
      { id: 'demo-height', kind: 'height', protocol: 'a02yyuw', path: height.hostPath, options: { mountHeightCm: MOUNT_CM } },
    ];
  }

  setScenario(s: Scenario) {
    this.values = SCENARIOS[s];
    this.state.scenario = s;
    Object.assign(this.cuff, { systolic: this.values.systolic, diastolic: this.values.diastolic, pulse: this.values.pulse });
    Object.assign(this.oximeter, { spo2: this.values.spo2, pulseRate: this.values.pulse });
    // Devices in use show the new values at once.
    if (this.state.onScale) this.scale.targetKg = this.values.weightKg;
    if (this.state.underHeightSensor) this.height.heightCm = this.values.heightCm;
    if (this.state.atThermometer) this.thermometer.objectCel = this.values.temperatureCel;
  }

  stepOnScale(on: boolean) {
    this.state.onScale = on;
    if (on) Object.assign(this.scale, { targetKg: this.values.weightKg, stepOnAtMs: this.now() + 300 });
    else this.scale.targetKg = 0;
  }

  standUnderHeightSensor(on: boolean) {
    this.state.underHeightSensor = on;
    if (on) Object.assign(this.height, { heightCm: this.values.heightCm, arriveAtMs: this.now() });
    else delete this.height.heightCm;
  }

  clipOximeter(on: boolean) {
    this.state.oximeterOn = on;
    this.oximeter.fingerInAtMs = on ? this.now() + 200 : NEVER;
  }

  useThermometer(on: boolean) {
    this.state.atThermometer = on;
    this.thermometer.objectCel = on ? this.values.temperatureCel : AMBIENT_CEL;
  }

  async stop() {
    for (const c of this.cleanups.splice(0).reverse()) await c();
  }
}
