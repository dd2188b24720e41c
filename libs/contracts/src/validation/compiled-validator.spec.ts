import fc from 'fast-check';
import { plainToInstance } from 'class-transformer';
import { IsInt, IsOptional, IsString, validateSync, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { CHANNELS, CUSTOMER_SEGMENTS } from '../sectors';
import { INBOUND_EVENT_CLASSES } from '../inbound/inbound-event';
import { InboundEventType } from '../inbound/inbound-event-type';
import { compileValidator, ValidatorCompilationError } from './compiled-validator';

/** The specification: what the decoder's slow path says. */
function classValidatorAccepts(eventClass: new () => object, plain: unknown): boolean {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) return false;
  return validateSync(plainToInstance(eventClass, plain), { forbidUnknownValues: false }).length === 0;
}

const text = (max: number) => fc.string({ minLength: 0, maxLength: max });
/** A field value: usually plausible, sometimes the wrong type, empty, too long, null or absent. */
const anyOf = (...valid: fc.Arbitrary<unknown>[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.oneof(...valid) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null, '', 0, 1.5, true, [], {}, 'x'.repeat(300)) },
    {
      weight: 1,
      arbitrary: fc.oneof(fc.integer(), fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.string())),
    },
  );

const timestamp = fc.oneof(
  fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-04-14T15:04:05.123-05:00', '2026-04-14T15:04-0500', '2026-04-14T15:04:05', '2026-04-14 15:04:05Z', '14/04/2026'),
);
const phone = fc.oneof(
  fc.integer({ min: 1_000_000, max: 999_999_999 }).map((n) => `+57${n}`),
  fc.constantFrom('3105550101', '+0123456', '+57 310 555'),
);
const customer = fc.record(
  {
    id: anyOf(text(140)),
    phone: anyOf(phone),
    segment: anyOf(fc.constantFrom(...CUSTOMER_SEGMENTS, 'gold')),
    region: anyOf(text(70)),
  },
  { requiredKeys: [] },
);
const attributes = fc.dictionary(
  fc.string({ maxLength: 6 }),
  fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant({ deep: 1 })),
  { maxKeys: 4 },
);

function eventArbitrary(type: InboundEventType) {
  return fc.record(
    {
      specVersion: fc.oneof({ weight: 8, arbitrary: fc.constant('1') }, { weight: 1, arbitrary: fc.constantFrom('2', 1, undefined) }),
      eventId: anyOf(text(140)),
      type: fc.oneof({ weight: 9, arbitrary: fc.constant(type) }, { weight: 1, arbitrary: fc.constantFrom(...Object.values(InboundEventType)) }),
      interactionId: anyOf(text(140)),
      occurredAt: anyOf(timestamp),
      tenant: anyOf(text(140)),
      channel: anyOf(fc.constantFrom(...CHANNELS, 'fax')),
      entryPoint: anyOf(text(270)),
      ivrPath: anyOf(fc.array(anyOf(text(70)), { maxLength: 34 })),
      text: anyOf(text(4010)),
      language: anyOf(text(40)),
      customer: anyOf(customer, fc.array(customer, { maxLength: 2 })),
      attributes: anyOf(attributes),
      reason: anyOf(text(260)),
      agentId: anyOf(text(140)),
      targetSector: anyOf(text(70)),
      targetQueue: anyOf(text(140)),
    },
    { requiredKeys: [] },
  );
}

describe('compiled validator agrees with class-validator', () => {
  it.each(Object.values(InboundEventType))('on valid and broken %s events alike', (type) => {
    const eventClass = INBOUND_EVENT_CLASSES[type];
    const compiled = compileValidator(eventClass);
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(eventArbitrary(type), (plain) => {
        // JSON round trip: the decoder only ever sees what JSON.parse produces.
        const parsed = JSON.parse(JSON.stringify(plain)) as unknown;
        const expected = classValidatorAccepts(eventClass, parsed);
        if (expected) accepted++;
        else rejected++;
        expect(compiled(parsed)).toBe(expected);
      }),
      { numRuns: 3000, seed: 20261128 },
    );
    // Both verdicts were exercised, or the agreement proves little.
    expect(accepted).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });

  it('answers no for values that are not objects', () => {
    const compiled = compileValidator(INBOUND_EVENT_CLASSES[InboundEventType.Abandoned]);
    for (const value of [null, undefined, 'event', 42, [{}]]) expect(compiled(value)).toBe(false);
  });

  it('validates nested classes through @Type, and refuses what it cannot compile', () => {
    class Leaf {
      @IsInt()
      n!: number;
    }
    class Root {
      @IsOptional()
      @ValidateNested()
      @Type(() => Leaf)
      leaf?: Leaf;
    }
    class Untyped {
      @ValidateNested()
      leaf!: Leaf;
    }
    class Grouped {
      @IsString({ groups: ['admin'] })
      name!: string;
    }
    const compiled = compileValidator(Root);
    expect(compiled({ leaf: { n: 3 } })).toBe(true);
    expect(compiled({ leaf: { n: 'three' } })).toBe(false);
    expect(compiled({})).toBe(true);
    expect(() => compileValidator(Untyped)).toThrow(ValidatorCompilationError);
    expect(() => compileValidator(Grouped)).toThrow(/groups/);
  });
});
