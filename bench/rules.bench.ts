/**
 * Micro-benchmark of rule evaluation, in process: compiles a generated 500-rule ruleset (tenants
 * × sectors × intents, with emergency lanes, business hours, VIP tiers and attribute rules),
 * warms up, then times `decide` per interaction over a fixed mix of inputs. As a same-run
 * baseline it times `decide` on a one-rule ruleset reading the same facts (the cost of building
 * the facts object and the decision), so the figure also reads as a ratio, less dependent on how
 * busy the machine is.
 *
 * Run: `npm run build && node dist/bench/rules.bench.js`
 */
import { RoutingInput } from '@conmutador/routing';
import { CompiledRuleset, compileRuleset, RuleDefinition, RulesetDocument } from '@conmutador/rules';

export interface RulesBenchResult {
  /** Median µs per decide() with the 500-rule ruleset, after warm-up. */
  rulesUs: number;
  rulesP95Us: number;
  /** Rules in the benchmark ruleset. */
  rules: number;
  /** Median µs per decide() with a one-rule ruleset reading the same facts, same run. */
  baselineUs: number;
  baselineP95Us: number;
  /** rulesUs / baselineUs */
  ratioToBaseline: number;
  /** 99th percentile: pauses of the runtime and of a shared machine show here, not in the median. */
  rulesP99Us: number;
  /** Share of inputs decided by a rule rather than the fallback. */
  matchedShare: number;
  compileMs: number;
  samples: number;
}

const RULE_COUNT = 500;
const TENANTS = [
  'banco-uno',
  'banco-dos',
  'eps-salud',
  'oxi-vida',
  'seguros-andes',
  'caja-andina',
  'caja-caribe',
  'domicilios-ya',
  'banco-tres',
  'eps-norte',
  'seguros-sur',
];
const SECTOR_INTENTS: Record<string, string[]> = {
  health: ['appointment', 'covid', 'other'],
  oxygen: ['supply', 'equipment', 'other'],
  banking: ['financial_relief', 'emergency_credit', 'refinancing', 'government_subsidy'],
  insurance: ['assistance', 'emergency', 'other'],
  compensation_funds: ['monetary_quota', 'unemployment_subsidy', 'other'],
  food_delivery: ['restaurant_order', 'groceries', 'order_status'],
};
const OPENING_HOURS = [
  ['06:00', '20:00'],
  ['07:00', '19:00'],
  ['08:00', '18:00'],
];

/** Deterministic inputs, so runs compare. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rules in the order ops would write them: per tenant and sector, emergencies, hours, then VIP before standard. */
function generatedRules(): RuleDefinition[] {
  const rules: RuleDefinition[] = [];
  const add = (id: string, when: string, queue: string, priority: number) => rules.push({ id, when, then: { queue, priority, requiredSkills: [queue] } });
  TENANTS.forEach((tenant, tenantIndex) => {
    Object.entries(SECTOR_INTENTS).forEach(([sector, intents], sectorIndex) => {
      const scope = `tenant == "${tenant}" and sector == "${sector}"`;
      const [open, close] = OPENING_HOURS[(tenantIndex + sectorIndex) % OPENING_HOURS.length];
      add(`${tenant}.${sector}.fast-lane`, `${scope} and emergency`, 'emergency_lane', 900);
      add(`${tenant}.${sector}.closed`, `${scope} and (not between(time, "${open}", "${close}") or weekday == "sun" or isHoliday)`, 'after_hours', 50);
      for (const intent of intents) {
        add(`${tenant}.${sector}.${intent}.vip`, `${scope} and intent == "${intent}" and segment in ("vip", "corporate")`, `${sector}_${intent}`, 200);
        add(`${tenant}.${sector}.${intent}.gold`, `${scope} and intent == "${intent}" and attr.plan == "gold"`, `${sector}_${intent}`, 150);
        add(`${tenant}.${sector}.${intent}`, `${scope} and intent == "${intent}"`, `${sector}_${intent}`, 100);
      }
    });
  });
  return rules.slice(0, RULE_COUNT);
}

export function benchmarkRuleset(): RulesetDocument {
  const rules = generatedRules();
  const queues = [...new Set(['general', ...rules.map((rule) => rule.then.queue)])].map((name) => ({
    name,
    agingPointsPerMinute: name === 'emergency_lane' ? 0 : 2,
  }));
  return { description: `benchmark: ${rules.length} generated rules`, queues, rules, fallback: { queue: 'general', priority: 10 } };
}

function benchmarkInputs(count: number): RoutingInput[] {
  const random = seededRandom(2026);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const weekStart = Date.parse('2026-04-13T00:00:00-05:00'); // a Monday in Bogotá
  return Array.from({ length: count }, () => {
    const sector = random() < 0.05 ? 'unclassified' : pick(Object.keys(SECTOR_INTENTS));
    return {
      sector,
      intent: sector === 'unclassified' ? 'unclassified' : pick(SECTOR_INTENTS[sector]),
      emergency: random() < 0.05,
      confidence: random(),
      channel: pick(['voice', 'chat', 'whatsapp', 'video', 'email']),
      // Some traffic from tenants no rule names: the fallback path is measured too.
      tenant: random() < 0.1 ? 'tenant-without-rules' : pick(TENANTS),
      customerSegment: pick(['standard', 'standard', 'standard', 'vip', 'corporate', undefined]),
      customerRegion: pick(['bogota', 'medellin', 'monteria', undefined]),
      attributes: random() < 0.3 ? { plan: pick(['gold', 'silver']) } : undefined,
      at: new Date(weekStart + Math.floor(random() * 7 * 24 * 60) * 60_000),
    };
  });
}

interface Latency {
  medianUs: number;
  p95Us: number;
  p99Us: number;
  samples: number;
}

function percentile(sorted: Float64Array, fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

function measure(ruleset: CompiledRuleset, inputs: readonly RoutingInput[], warmUpPasses: number, measuredPasses: number): Latency {
  let checksum = 0;
  for (let pass = 0; pass < warmUpPasses; pass++) for (const input of inputs) checksum += ruleset.decide(input).priority;
  const samples = new Float64Array(inputs.length * measuredPasses);
  let sample = 0;
  for (let pass = 0; pass < measuredPasses; pass++) {
    for (const input of inputs) {
      const started = process.hrtime.bigint();
      checksum += ruleset.decide(input).priority;
      samples[sample++] = Number(process.hrtime.bigint() - started) / 1000;
    }
  }
  // Using the results keeps the optimiser from discarding the calls being timed.
  if (!Number.isFinite(checksum)) throw new Error('decisions produced a non-finite priority');
  samples.sort();
  return { medianUs: percentile(samples, 0.5), p95Us: percentile(samples, 0.95), p99Us: percentile(samples, 0.99), samples: samples.length };
}

export async function runRulesBench(): Promise<RulesBenchResult> {
  const document = benchmarkRuleset();
  const compileStarted = process.hrtime.bigint();
  const ruleset = compileRuleset(document, 1);
  const compileMs = Number(process.hrtime.bigint() - compileStarted) / 1e6;
  const baseline = compileRuleset(
    {
      queues: [{ name: 'general' }, { name: 'banking', agingPointsPerMinute: 2 }],
      rules: [
        {
          id: 'only',
          when: 'sector == "banking" and not isHoliday and weekday != "sun" and between(time, "07:00", "19:00") and attr.plan != "x" and segment != "vip"',
          then: { queue: 'banking', priority: 100, requiredSkills: ['banking'] },
        },
      ],
      fallback: { queue: 'general', priority: 10 },
    },
    1,
  );
  const inputs = benchmarkInputs(2000);
  const passes = { warmUp: 20, measured: 25 };
  const baselineLatency = measure(baseline, inputs, passes.warmUp, passes.measured);
  const rulesLatency = measure(ruleset, inputs, passes.warmUp, passes.measured);
  const matched = inputs.filter((input) => ruleset.decide(input).ruleId !== 'fallback').length;
  return {
    rulesUs: rulesLatency.medianUs,
    rulesP95Us: rulesLatency.p95Us,
    rules: document.rules.length,
    baselineUs: baselineLatency.medianUs,
    baselineP95Us: baselineLatency.p95Us,
    ratioToBaseline: rulesLatency.medianUs / baselineLatency.medianUs,
    rulesP99Us: rulesLatency.p99Us,
    matchedShare: matched / inputs.length,
    compileMs,
    samples: rulesLatency.samples,
  };
}

function printTable(result: RulesBenchResult): void {
  const row = (name: string, median: number, p95: number, p99: string, ratio: string): string =>
    `${name.padEnd(22)} ${median.toFixed(2).padStart(10)} ${p95.toFixed(2).padStart(10)} ${p99.padStart(10)} ${ratio.padStart(8)}`;
  const lines = [
    `rules bench: ${result.rules} rules, ${result.samples} timed decisions after warm-up; compile + validate ${result.compileMs.toFixed(0)} ms; ${(result.matchedShare * 100).toFixed(0)}% decided by a rule`,
    `${'ruleset'.padEnd(22)} ${'median µs'.padStart(10)} ${'p95 µs'.padStart(10)} ${'p99 µs'.padStart(10)} ${'ratio'.padStart(8)}`,
    row('1 rule (baseline)', result.baselineUs, result.baselineP95Us, '', '1.0×'),
    row(`${result.rules} rules`, result.rulesUs, result.rulesP95Us, result.rulesP99Us.toFixed(2), `${result.ratioToBaseline.toFixed(1)}×`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (require.main === module) {
  runRulesBench()
    .then(printTable)
    .catch((error: unknown) => {
      process.stderr.write(`rules bench: ${(error as Error).message ?? String(error)}\n`);
      process.exitCode = 1;
    });
}
