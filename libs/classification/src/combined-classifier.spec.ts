import { join } from 'node:path';
import { Classification } from './classification';
import { ConfigurableClassifier } from './combined-classifier';
import { findRepositoryRoot } from './corpus/corpus-files';
import { createClassifier } from './create-classifier';
import { loadClassifier } from './load-classifier';
import { EMPTY_MAPPINGS } from './mappings';

// The model the build made from the repository corpus (npm test builds first); trained here when
// the file is missing or stale, as a service would.
jest.setTimeout(120_000);

let classifier: ConfigurableClassifier;
const modelFile = join(findRepositoryRoot(__dirname), 'dist', 'model', 'text-model.bin');
const classify = (text: string, extra: Partial<Parameters<ConfigurableClassifier['classify']>[0]> = {}): Classification =>
  classifier.classify({ text, ...extra });

beforeAll(async () => {
  ({ classifier } = await loadClassifier({ mappings: EMPTY_MAPPINGS, minConfidence: 0.2, modelFile }));
});

afterEach(() => classifier.replaceMappings(EMPTY_MAPPINGS));

describe('sectors and intents from the text', () => {
  it.each([
    ['necesito pedir una cita con el dermatólogo para la próxima semana', 'health', 'appointment'],
    ['tengo tos, fiebre y perdí el olfato, será que tengo covid?', 'health', 'covid'],
    ['necesito que me traigan una bala de oxígeno para mi abuelo', 'oxygen', 'supply'],
    ['el concentrador de oxígeno dejó de funcionar, necesito que lo revisen', 'oxygen', 'equipment'],
    ['quiero refinanciar la deuda de mi tarjeta de crédito a más cuotas', 'banking', 'refinancing'],
    ['se me varó el carro en la vía y necesito la grúa de la póliza', 'insurance', 'assistance'],
    ['cuándo pagan la cuota monetaria de la caja de compensación', 'compensation_funds', 'monetary_quota'],
    ['quiero pedir una hamburguesa con papas a domicilio', 'food_delivery', 'restaurant_order'],
    ['mi pedido lleva una hora y no ha llegado', 'food_delivery', 'order_status'],
  ])('"%s" → %s / %s', (text, sector, intent) => {
    const result = classify(text);
    expect(result.sector).toBe(sector);
    expect(result.intent).toBe(intent);
    expect(result.confidence).toBeGreaterThan(0.2);
  });

  it('intents always belong to the chosen sector', () => {
    for (const text of ['quiero una pizza', 'necesito oxígeno', 'me quedé sin empleo', 'hola', 'tengo covid']) {
      const result = classify(text);
      const intents = classifier.sectors.get(result.sector) ?? [];
      if (result.sector === 'unclassified') expect(result.intent).toBe('unclassified');
      else expect(intents).toContain(result.intent);
    }
  });
});

describe('accents, typos and chat spelling', () => {
  it('reads the same message with and without accents', () => {
    const withAccents = classify('Necesito una cita médica para mi hijo, ¿cuándo hay agenda?');
    const without = classify('necesito una cita medica para mi hijo cuando hay agenda');
    expect(without.sector).toBe('health');
    expect(withAccents.sector).toBe(without.sector);
    expect(withAccents.intent).toBe(without.intent);
  });

  it('understands typos and abbreviations', () => {
    expect(classify('nesesito una sita con el medico xq me duele la garganta porfa').sector).toBe('health');
    expect(classify('se acabo el oxijeno de la bala, cuando me traen otra??').sector).toBe('oxygen');
    expect(classify('kiero pedir un domisilio de pizza porfaaaa').sector).toBe('food_delivery');
    expect(classify('cuando me consignan la cuota monetaria x mis hijos').sector).toBe('compensation_funds');
  });

  it('ignores voice fillers', () => {
    const result = classify('eh aló sí este es que eh necesito una recarga de oxígeno pa mi mamá');
    expect(result.sector).toBe('oxygen');
    expect(result.intent).toBe('supply');
  });
});

describe('cross-sector traps', () => {
  it('"seguro de desempleo" of a credit card is insurance; "subsidio de desempleo" is the compensation fund', () => {
    expect(classify('quiero reclamar el seguro de desempleo de mi tarjeta de crédito porque me despidieron').sector).toBe('insurance');
    const subsidy = classify('me despidieron, cómo aplico al subsidio de desempleo');
    expect(subsidy.sector).toBe('compensation_funds');
    expect(subsidy.intent).toBe('unemployment_subsidy');
  });

  it('the "cuota" of a loan is banking; the "cuota monetaria" is the compensation fund', () => {
    expect(classify('no puedo pagar la cuota del préstamo este mes, me pueden dar un plazo').sector).toBe('banking');
    const quota = classify('no me ha llegado la cuota monetaria de este mes');
    expect(quota.sector).toBe('compensation_funds');
    expect(quota.intent).toBe('monetary_quota');
  });

  it('oxygen "a domicilio" is oxygen; food "a domicilio" is food delivery', () => {
    expect(classify('necesito oxígeno medicinal a domicilio para mi papá').sector).toBe('oxygen');
    expect(classify('necesito un almuerzo a domicilio para mi papá').sector).toBe('food_delivery');
  });
});

describe('emergencies', () => {
  it.each([
    ['short of breath without oxygen', 'se le acabó el oxígeno a mi mamá y no puede respirar'],
    ['accident with someone injured', 'tuve un accidente en la moto y hay un herido en el piso'],
    ['severe COVID-19 symptoms', 'mi papá tiene covid y se está ahogando, tiene los labios morados'],
    ['fire in an insured home', 'se está incendiando mi casa, tengo seguro de hogar con ustedes'],
    ['flood in an insured home', 'se nos está entrando el agua a la casa por la creciente, tenemos póliza de hogar'],
    ['someone unconscious', 'mi esposo se desmayó y no reacciona'],
  ])('flags %s', (_kind, text) => {
    const result = classify(text);
    expect(result.emergency).toBe(true);
    expect(result.evidence.some((e) => e.source === 'emergency')).toBe(true);
  });

  it.each([
    ['urgente, ¿dónde está mi pedido?'],
    ['URGENTE necesito el crédito de emergencia para pagar la nómina'],
    ['es urgente que me den la cita con el especialista'],
    ['me urge el certificado de afiliación a la caja'],
    ['me estoy ahogando en deudas, necesito refinanciar'],
    ['me muero de hambre, mándenme una pizza ya'],
    ['me chocaron ayer pero no hubo heridos, quiero reportar el siniestro'],
  ])('does not flag urgency about a non-life matter: "%s"', (text) => {
    expect(classify(text).emergency).toBe(false);
  });

  it("the emergency assessment decides a sector's emergency intent: now is emergency, last month is not", () => {
    const now = classify('mi esposa se cayó por las escaleras del hotel y no responde, tenemos el seguro de viaje con ustedes');
    expect([now.sector, now.intent, now.emergency]).toEqual(['insurance', 'emergency', true]);
    const over = classify('el mes pasado tuve un accidente con la moto asegurada, ya estoy bien, ¿cómo va la reclamación?');
    expect(over.sector).toBe('insurance');
    expect(over.intent).not.toBe('emergency');
    expect(over.emergency).toBe(false);
  });
});

describe('evidence order: mappings, then text, then fallback', () => {
  it('an IVR mapping outranks the text and comes first in the evidence', () => {
    classifier.replaceMappings({ entryPoints: [], ivrPaths: [{ path: ['2'], sector: 'oxygen' }] });
    const result = classify('quiero pedir una pizza', { ivrPath: ['2', '1'] });
    expect(result.sector).toBe('oxygen');
    expect(result.confidence).toBe(1);
    expect(result.evidence[0].source).toBe('ivr_path');
  });

  it('takes the intent from the text within the mapped sector when the mapping leaves it open', () => {
    classifier.replaceMappings({ entryPoints: [{ entryPoint: 'wa:+57300*', sector: 'oxygen' }], ivrPaths: [] });
    const result = classify('el concentrador hace un ruido raro y no enciende', { entryPoint: 'wa:+573001112233' });
    expect(result.sector).toBe('oxygen');
    expect(result.intent).toBe('equipment');
    expect(result.evidence.map((e) => e.source)).toEqual(['entry_point', 'text']);
  });

  it('still detects an emergency in the text of a mapped line', () => {
    classifier.replaceMappings({ entryPoints: [{ entryPoint: '+576014441000', sector: 'oxygen', intent: 'supply' }], ivrPaths: [] });
    const result = classify('mi papá no puede respirar y la bala está vacía', { entryPoint: '+576014441000' });
    expect(result).toMatchObject({ sector: 'oxygen', intent: 'supply', emergency: true });
  });

  it('mappings reload without retraining: replaceMappings takes effect on the next call', () => {
    const input = { text: 'hola', entryPoint: '+5760100' };
    expect(classifier.classify(input).sector).toBe('unclassified');
    classifier.replaceMappings({ entryPoints: [{ entryPoint: '+5760100', sector: 'banking', intent: 'other' }], ivrPaths: [] });
    expect(classifier.classify(input)).toMatchObject({ sector: 'banking', intent: 'other' });
    classifier.replaceMappings(EMPTY_MAPPINGS);
    expect(classifier.classify(input).sector).toBe('unclassified');
  });

  it('falls back to unclassified with a fallback evidence when nothing decides', () => {
    for (const text of ['', 'hola', 'ok', 'asdfgh qwerty', 'aló aló ¿me escucha?']) {
      const result = classify(text);
      expect(result.sector).toBe('unclassified');
      expect(result.emergency).toBe(false);
    }
    expect(classifier.classify({}).evidence.at(-1)?.source).toBe('fallback');
  });

  it('falls back below the configured minimum confidence', async () => {
    const { classifier: strict } = await loadClassifier({ mappings: EMPTY_MAPPINGS, minConfidence: 1, modelFile });
    const result = strict.classify({ text: 'creo que es algo del banco o de la caja, no sé' });
    expect(result.sector).toBe('unclassified');
    expect(result.evidence.at(-1)).toMatchObject({ source: 'fallback', weight: 0 });
  });
});

describe('determinism', () => {
  it('the same corpus gives the same model and the same outputs, trained or read from the build', async () => {
    const again = await createClassifier({ mappings: EMPTY_MAPPINGS, minConfidence: 0.2 });
    for (const text of ['necesito oxígeno ya', 'quiero refinanciar', 'se inundó la casa', 'hola', 'pizza con piña']) {
      expect(again.classify({ text })).toEqual(classifier.classify({ text }));
    }
  });
});

describe('sector list', () => {
  it('exposes the default sectors with their intents', () => {
    expect(classifier.sectors.get('compensation_funds')).toEqual(['monetary_quota', 'unemployment_subsidy', 'other']);
    expect([...classifier.sectors.keys()]).toEqual(
      expect.arrayContaining(['health', 'oxygen', 'banking', 'insurance', 'compensation_funds', 'food_delivery', 'unclassified']),
    );
  });
});
