import { LabelledUtterance, buildTaxonomy } from '../taxonomy/taxonomy';
import { TextModel } from './text-model';

const line = (text: string, sector: string, intent: string, emergency = false): LabelledUtterance => ({ text, sector, intent, emergency });
const corpus: LabelledUtterance[] = [
  line('necesito una recarga de oxígeno para mi mamá', 'oxygen', 'supply'),
  line('se acabó la bala de oxígeno, tráiganme otra', 'oxygen', 'supply'),
  line('el concentrador de oxígeno no enciende', 'oxygen', 'equipment'),
  line('el concentrador hace un ruido raro', 'oxygen', 'equipment'),
  line('quiero pedir una pizza a domicilio', 'food_delivery', 'restaurant_order'),
  line('me mandan dos hamburguesas con papas', 'food_delivery', 'restaurant_order'),
  line('mi pedido no ha llegado, lleva una hora', 'food_delivery', 'order_status'),
  line('dónde viene el domiciliario con mi pedido', 'food_delivery', 'order_status'),
  line('mi papá no puede respirar y se acabó el oxígeno', 'oxygen', 'supply', true),
  line('cómo saco el pasaporte', 'unclassified', ''),
];

describe('TextModel', () => {
  const taxonomy = buildTaxonomy();
  const model = TextModel.train(corpus, taxonomy);

  it('ranks sectors with ensemble scores between 0 and 1 that add up to at most 1', () => {
    const { ranking, knownFeatures } = model.rankSectors(model.analyse('necesito oxígeno para mi abuelo'));
    expect(knownFeatures).toBeGreaterThan(0);
    expect(ranking[0].label).toBe('oxygen');
    expect(ranking.map((s) => s.label)).toEqual(expect.arrayContaining([...taxonomy.keys()]));
    for (const { score } of ranking) expect(score).toBeGreaterThanOrEqual(0);
    expect(ranking.reduce((total, { score }) => total + score, 0)).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('chooses the intent among the sector’s intents', () => {
    const analysis = model.analyse('el concentrador no prende');
    expect(model.bestIntent('oxygen', analysis)?.label).toBe('equipment');
    expect(model.bestIntent('food_delivery', model.analyse('no ha llegado mi pedido'))?.label).toBe('order_status');
    expect(model.bestIntent('unclassified', analysis)).toBeUndefined();
  });

  it('knows nothing of a text made of unknown words', () => {
    expect(model.countKnownFeatures(model.analyse('qwerty zxcvb'))).toBe(0);
  });

  it('scores emergencies between 0 and 1, higher for the emergency wording', () => {
    const risky = model.emergencyScore(model.analyse('no puede respirar, se acabó el oxígeno'));
    const routine = model.emergencyScore(model.analyse('quiero una pizza'));
    expect(risky).toBeGreaterThan(routine);
    expect(risky).toBeLessThanOrEqual(1);
    expect(routine).toBeGreaterThanOrEqual(0);
  });

  it('trains deterministically', () => {
    const again = TextModel.train(corpus, taxonomy);
    for (const text of ['oxígeno ya', 'pizza', 'pasaporte', 'no llega el pedido']) {
      expect(again.rankSectors(again.analyse(text))).toEqual(model.rankSectors(model.analyse(text)));
      expect(again.emergencyScore(again.analyse(text))).toBe(model.emergencyScore(model.analyse(text)));
    }
  });
});
