import { normalizeText } from '../text/normalizer';
import { RiskKind, findRiskCues } from './risk-cues';

const strongKinds = (text: string): RiskKind[] =>
  findRiskCues(normalizeText(text))
    .filter((c) => c.strength === 'strong')
    .map((c) => c.kind);
const anyCue = (text: string) => findRiskCues(normalizeText(text));

describe('findRiskCues', () => {
  it.each<[string, RiskKind]>([
    ['mi papá no puede respirar', 'breathing'],
    ['le está costando mucho respirar y tiene los labios morados', 'breathing'],
    ['está saturando 84', 'breathing'],
    ['tiene 82 de saturación', 'breathing'],
    ['se desmayó y no reacciona', 'unconscious'],
    ['tiene un dolor fuerte en el pecho', 'cardiac'],
    ['hay un herido y está sangrando', 'bleeding_or_injury'],
    ['se está incendiando la cocina', 'fire_or_gas'],
    ['huele a gas en todo el apartamento', 'fire_or_gas'],
    ['se está inundando la casa', 'flood_or_collapse'],
    ['nos están robando, tienen un cuchillo', 'violence'],
    ['el niño es alérgico y se está hinchando', 'allergic_reaction'],
    ['the bus braked hard and my aunt can t move her legs', 'bleeding_or_injury'],
    ['um ônibus me atropelou na avenida, a perna está quebrada', 'bleeding_or_injury'],
  ])('"%s" is a strong %s cue', (text, kind) => {
    expect(strongKinds(text)).toContain(kind);
  });

  it('ignores negated injuries', () => {
    expect(strongKinds('me chocaron pero no hay heridos')).toEqual([]);
    expect(strongKinds('choque leve, sin heridos')).toEqual([]);
    expect(strongKinds('nadie salió herido')).toEqual([]);
  });

  it('counts "no contesta" and "no responde" only in a message that names a person', () => {
    expect(anyCue('se fue la luz en todo el barrio y la empresa no contesta')[0]?.discount).toBe('no_person_named');
    expect(anyCue('el ajustador no responde los correos')[0]?.discount).toBe('no_person_named');
    expect(anyCue('mi abuela se cayó y no responde')[0]?.discount).toBeUndefined();
  });

  it('keeps cues whose own words are a negation', () => {
    expect(strongKinds('no respira')).toContain('breathing');
  });

  it('ignores figures of speech', () => {
    expect(anyCue('me estoy ahogando en deudas con la tarjeta')).toEqual([]);
    expect(anyCue('me muero de hambre, ¿dónde está mi pedido?')).toEqual([]);
  });

  it('does not treat urgency about a non-life matter as a risk', () => {
    expect(anyCue('urgente, ¿dónde está mi pedido?')).toEqual([]);
    expect(anyCue('necesito un crédito de emergencia urgente')).toEqual([]);
  });

  it('treats a normal saturation reading as no risk', () => {
    expect(strongKinds('está saturando 95, respira bien')).toEqual([]);
  });

  it('only supports (never decides) on words that often describe past or hypothetical events', () => {
    const cues = anyCue('quiero saber si la póliza cubre ambulancia');
    expect(cues.every((c) => c.strength === 'supporting')).toBe(true);
  });
});

describe('findRiskCues in English and Portuguese-shaped Spanish', () => {
  it.each<[string, RiskKind]>([
    ['my father can not breathe', 'breathing'],
    ['her lips look blue and she is panting', 'breathing'],
    ['he passed out in the bathroom', 'unconscious'],
    ['he says his chest feels crushed', 'cardiac'],
    ['my friend is bleeding heavily', 'bleeding_or_injury'],
    ['the kitchen is on fire', 'fire_or_gas'],
    ['ele não consegue respirar', 'breathing'],
    ['a minha sogra desmaiou duas vezes', 'unconscious'],
    ['o motoqueiro está no chão e não se mexe', 'bleeding_or_injury'],
  ])('"%s" is a strong %s cue', (text, kind) => {
    expect(strongKinds(text)).toContain(kind);
  });

  it('reads a high fever and confusion as supporting cues of two kinds', () => {
    const kinds = anyCue('tiene 40 de fiebre y no me reconoce').map((c) => `${c.kind}/${c.strength}`);
    expect(kinds).toEqual(expect.arrayContaining(['high_fever/supporting', 'confusion/supporting']));
  });

  it('marks a discounted cue instead of dropping it', () => {
    const [cue] = anyCue('mi perro se está ahogando con un hueso');
    expect(cue).toMatchObject({ kind: 'breathing', discount: 'not_a_person' });
  });

  it('reads a call for help after an insured object as a call, not as the object at risk', () => {
    expect(anyCue('a truck hit us, the pickup is insured with you, please send help')).toEqual([
      { kind: 'dying', strength: 'supporting', phrase: 'send help' },
    ]);
  });
});
