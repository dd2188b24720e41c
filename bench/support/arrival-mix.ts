/**
 * Seed-like traffic: `interaction.arrived` events on the seed operation's phone lines, IVR paths
 * and shared WhatsApp / web-chat entry points, most of them with Spanish text to classify, in a
 * fixed deterministic order so every run and every stage sends the same mix.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepositoryRoot } from '@conmutador/classification';

interface ArrivalShape {
  channel: 'voice' | 'chat' | 'whatsapp' | 'video' | 'email';
  entryPoint: string;
  ivrPath?: string[];
  text?: string;
}

/** The seed operation's lines and texts, shared with the demo traffic of `npm start`. */
const SEED_SHAPES = JSON.parse(readFileSync(join(findRepositoryRoot(__dirname), 'deploy', 'demo', 'seed-arrivals.json'), 'utf8')) as ArrivalShape[];
const SHARED_TEXT_ENTRY_POINTS: ArrivalShape[] = [
  { channel: 'whatsapp', entryPoint: 'wa:+573001112233' },
  { channel: 'chat', entryPoint: 'webchat:food-app' },
  { channel: 'voice', entryPoint: '+576014440000' },
];
const TENANTS = ['seed', 'seed', 'seed', 'banco-uno', 'eps-salud'];
const SEGMENTS = ['standard', 'standard', 'standard', 'vip', 'corporate'] as const;
const REGIONS = ['bogota', 'medellin', 'monteria'];

/** Held-out utterances (not used for training): realistic free text for the shared entry points. */
function holdoutTexts(): string[] {
  const dir = join(findRepositoryRoot(__dirname), 'libs', 'classification', 'corpus', 'holdout');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => String((JSON.parse(line) as { text: unknown }).text)),
    );
}

let shapes: ArrivalShape[] | undefined;

/** Seed shapes, then every held-out text on a shared entry point; built once per process. */
function arrivalShapes(): ArrivalShape[] {
  if (!shapes) {
    const texts = holdoutTexts();
    shapes = [...SEED_SHAPES, ...texts.map((text, index) => ({ ...SHARED_TEXT_ENTRY_POINTS[index % SHARED_TEXT_ENTRY_POINTS.length], text }))];
  }
  return shapes;
}

export interface ArrivalRecord {
  key: string;
  value: string;
}

/**
 * The `index`-th arrival of a run. Ids carry the run tag so that two runs never collide, and
 * `occurredAtMs` is when the customer arrived (latency is measured from it).
 */
export function arrivalRecord(runTag: string, index: number, occurredAtMs: number): ArrivalRecord {
  const all = arrivalShapes();
  // A stride coprime with the list length spreads neighbouring indices over different shapes.
  const shape = all[(index * 7) % all.length];
  const interactionId = `${runTag}-${index}`;
  const event = {
    specVersion: '1',
    eventId: `evt-${runTag}-${index}`,
    type: 'interaction.arrived',
    interactionId,
    occurredAt: new Date(occurredAtMs).toISOString(),
    tenant: TENANTS[index % TENANTS.length],
    ...shape,
    customer: {
      phone: `+57310${String(5_000_000 + (index % 1_000_000)).padStart(7, '0')}`,
      segment: SEGMENTS[index % SEGMENTS.length],
      region: REGIONS[index % REGIONS.length],
    },
  };
  return { key: interactionId, value: JSON.stringify(event) };
}

/** Distinct shapes in the mix, for the report. */
export function arrivalMixSize(): number {
  return arrivalShapes().length;
}
