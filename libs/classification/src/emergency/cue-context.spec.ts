import { normalizeText } from '../text/normalizer';
import { CueDiscount, discountOf, namesNoEvent, saysNoOneIsHurt } from './cue-context';

/** The discount of the first occurrence of `cue` in `text`, both normalised. */
function discountOfCue(text: string, cue: string, options: { personNamed?: boolean } = {}): CueDiscount | undefined {
  const normalised = normalizeText(text);
  const phrase = normalizeText(cue);
  const start = normalised.indexOf(phrase);
  if (start < 0) throw new Error(`"${phrase}" is not in "${normalised}"`);
  return discountOf(normalised, start, start + phrase.length, options);
}

describe('discountOf', () => {
  it.each<[string, string]>([
    ['mi papá no puede respirar', 'no puede respirar'],
    ['el señor de la moto no se mueve', 'no se mueve'],
    ['la bala de oxígeno se acabó y mi mamá está ahogándose', 'ahogandose'],
    ['My father is gasping, his cylinder ran out', 'gasping'],
    ['tiene 40 de fiebre desde ayer y no me reconoce', 'no me reconoce'],
    ['ayer le dio covid y hoy no puede respirar', 'no puede respirar'],
    ['mi abuelo casi no puede respirar', 'no puede respirar'],
    ['mi hijo no orina, está frío, pálido y no responde', 'palido'],
  ])('keeps a person at risk now: "%s"', (text, cue) => {
    expect(discountOfCue(text, cue)).toBeUndefined();
  });

  it.each<[string, string]>([
    ['ayer se quedó sin aire pero ya está bien, gracias a Dios', 'sin aire'],
    ['my mum fainted last week but she has recovered', 'fainted'],
    ['a minha mãe desmaiou ontem mas já está bem', 'desmaiou'],
  ])('an emergency that is over: "%s"', (text, cue) => {
    expect(discountOfCue(text, cue)).toBe('over');
  });

  it.each<[string, string]>([
    ['mi perrito se tragó un hueso y se está ahogando', 'ahogando'],
    ['se me muere el cel, rápido: ¿dónde va el pedido?', 'muere'],
    ['my phone is dying, where is my order', 'dying'],
    ['el rappi no se mueve en el mapa', 'no se mueve'],
  ])('risk words about an object or an animal: "%s"', (text, cue) => {
    expect(discountOfCue(text, cue)).toBe('not_a_person');
  });

  it.each<[string, string]>([
    ['con esta cuota del crédito siento que no me alcanza el aire', 'no me alcanza el aire'],
    ['esta deuda de la tarjeta me está ahogando', 'ahogando'],
    ['esas notificaciones me tienen al borde del infarto', 'infarto'],
    ['cuando vi el extracto casi me da un infarto', 'infarto'],
    ['me muero de tanta hambre', 'muero'],
    ['me estoy muriendo del hambre y el domicilio no llega', 'muriendo'],
    ['me va a dar un infarto, llevo una hora esperando el almuerzo', 'infarto'],
    ['the gas bill nearly gave me a heart attack', 'heart attack'],
    ['essa dívida está me sufocando', 'sufocando'],
  ])('figures of speech: "%s"', (text, cue) => {
    expect(discountOfCue(text, cue)).toBe('figurative');
  });

  it.each<[string, string]>([
    ['ayer mi mamá se desmayó pero ya la vieron y está bn', 'desmayo'],
    ['hace tres días me sentía ahogado; ahora respiro bien', 'ahogado'],
    ['el domingo convulsionó, en urgencias lo estabilizaron', 'convulsiono'],
    ['minha mãe ficou sem ar mas agora já está em casa bem', 'sem ar'],
    ['la semana pasada no podía respirar, ya le dieron salida', 'no podia respirar'],
  ])('an emergency that is over, however the resolution is worded: "%s"', (text, cue) => {
    expect(discountOfCue(text, cue)).toBe('over');
  });

  it('a case asked about in a question of coverage is hypothetical; "sí" in a transcript is not', () => {
    expect(discountOfCue('¿el seguro me cubre si me da un infarto?', 'infarto')).toBe('hypothetical');
    expect(discountOfCue('does my plan cover me if I have a heart attack abroad', 'heart attack')).toBe('hypothetical');
    expect(discountOfCue('aló sí buenas, mi mamá no puede respirar, ¿el seguro cubre?', 'no puede respirar')).toBeUndefined();
    expect(discountOfCue('mi papá ya no está bien, no puede respirar', 'no puede respirar')).toBeUndefined();
  });

  it('reads a noun compared with as no referent, and what is not answered as no referent either', () => {
    expect(discountOfCue('mi tía pita y ella está boqueando como pescado fuera del agua', 'boqueando')).toBeUndefined();
    expect(discountOfCue('mi compañero tiene covid y ya no contesta el teléfono', 'no contesta', { personNamed: true })).toBeUndefined();
    expect(discountOfCue('mi perrito está boqueando', 'boqueando')).toBe('not_a_person');
  });

  it('names novios, girlfriends and colleagues as people, and an app named as a channel does not make the message about an object', () => {
    expect(discountOfCue('nos chocaron en la moto, mi novio no se mueve, tengo el seguro por la app', 'no se mueve')).toBeUndefined();
    expect(discountOfCue('my girlfriend is bleeding, I bought the cover in your app', 'bleeding')).toBeUndefined();
  });

  it('reads a place or a companion after a preposition as no referent, and objects that "die" as objects', () => {
    expect(discountOfCue('mi mamá tiene los labios morados, estamos en pasto', 'labios morados')).toBeUndefined();
    expect(discountOfCue('el compresor del consultorio se está muriendo', 'muriendo')).toBe('not_a_person');
    expect(discountOfCue('la señal del wifi se está muriendo', 'muriendo')).toBe('not_a_person');
    expect(discountOfCue('el concentrador hace un ruido como si se estuviera ahogando', 'ahogando')).toBe('not_a_person');
    expect(discountOfCue('este loan me está ahogando', 'ahogando')).toBe('figurative');
  });

  it('"ya pasó a la nuestra" is a fire spreading, not an emergency over; "volvió a" is it again', () => {
    expect(discountOfCue('se está incendiando la casa del vecino y ya pasó a la nuestra', 'incendiando')).toBeUndefined();
    expect(discountOfCue('se desmayó y ya volvió a convulsionar', 'desmayo')).toBeUndefined();
    expect(discountOfCue('se desmayó, gracias a Dios eso ya pasó', 'desmayo')).toBe('over');
  });

  it('what happens now and then, or as usual, is background, uncertain', () => {
    expect(discountOfCue('tiene EPOC y se ahoga si camina rápido, eso es lo de siempre', 'se ahoga')).toBe('past');
    expect(discountOfCue('mi hijo tiene parálisis cerebral y a veces convulsiona', 'convulsiona')).toBe('past');
  });

  it('a state of months is told in the past, not as going on now: uncertain', () => {
    expect(discountOfCue('mi papá se ahoga al caminar desde hace meses por una fibrosis', 'se ahoga')).toBe('past');
    expect(discountOfCue('mi papá se ahoga desde hace dos horas', 'se ahoga')).toBeUndefined();
  });

  it('told in the past with nothing saying it is over: uncertain', () => {
    expect(discountOfCue('el sábado mi papá se desmayó, quiero una cita de control', 'desmayo')).toBe('past');
    expect(discountOfCue('el sábado mi papá se desmayó y todavía está muy débil', 'desmayo')).toBeUndefined();
  });

  it('reads a noun after "de" as a complement, not as the one at risk', () => {
    expect(discountOfCue('el muchacho de la moto no se mueve', 'no se mueve')).toBeUndefined();
    expect(discountOfCue('la moto no se mueve', 'no se mueve')).toBeUndefined();
  });

  it('a state lived with for months, or left after an illness, is background, uncertain', () => {
    expect(discountOfCue('mi tía lleva tres meses con el pecho apretado por la ansiedad', 'pecho apretado')).toBe('past');
    expect(discountOfCue('mi abuelo quedó con dificultad para respirar tras la neumonía', 'dificultad para respirar')).toBe('past');
    expect(discountOfCue('se le aprieta el pecho cada vez que sube la loma', 'le aprieta el pecho')).toBe('past');
    expect(discountOfCue('a mi papá le aprieta el pecho y está sudando', 'le aprieta el pecho')).toBeUndefined();
  });

  it('the speaker drowning in the sentences after a debt speaks of money; not when illness or another person is near', () => {
    expect(discountOfCue('la hipoteca subió otra vez y con los intereses de mora siento que me estoy ahogando', 'ahogando')).toBe('figurative');
    expect(discountOfCue('this mortgage went up again and honestly I feel I can t breathe', 'can t breathe')).toBe('figurative');
    expect(discountOfCue('no pude pagar la factura del oxígeno, me lo cortaron y me estoy ahogando', 'ahogando')).toBeUndefined();
    expect(discountOfCue('pagué la cuota ayer y ahora mi hermano dice que se ahoga', 'se ahoga')).toBeUndefined();
  });

  it('"son" and "he" are Spanish verbs unless English makes them people', () => {
    expect(discountOfCue('no son horas de llamar pero mi gata no puede respirar', 'no puede respirar')).toBe('not_a_person');
    expect(discountOfCue('my son and our cat, the cat is not breathing', 'not breathing')).toBe('not_a_person');
    expect(discountOfCue('he llamado tres veces, el perro se está ahogando', 'ahogando')).toBe('not_a_person');
  });

  it('an English turn of "going to give me a heart attack" is a figure of speech', () => {
    expect(discountOfCue('the bank s app is going to give me a heart attack', 'heart attack')).toBe('figurative');
  });

  it('Portuguese "há dois meses" is the past, and "já estou recuperado" says it is over', () => {
    expect(discountOfCue('há três semanas desmaiou no trabalho, quero marcar consulta', 'desmaiou')).toBe('past');
    expect(discountOfCue('desmaiou no ônibus mas já estou recuperado', 'desmaiou')).toBe('over');
  });
});

describe('discountOf, second round of context', () => {
  it('a resolution that a "but" takes back, with a state that goes on, is not over', () => {
    expect(discountOfCue('mi tía se desmayó en la fila, ya reaccionó pero sigue sin poder hablar', 'desmayo')).toBeUndefined();
    expect(discountOfCue('mi tía se desmayó en la fila, ya está bien, gracias', 'desmayo')).toBe('over');
  });

  it('a fire already put out or fixed is over, in Spanish and English', () => {
    expect(discountOfCue('hubo un incendio en la bodega y los vecinos ya lo apagaron', 'incendio')).toBe('over');
    expect(discountOfCue('we had a gas leak but the technician already fixed it', 'gas leak')).toBe('over');
  });

  it('a strong fire cue about an object is property at risk; a supporting one is not', () => {
    const normalised = normalizeText('the car is on fire on the highway');
    const start = normalised.indexOf('on fire');
    expect(discountOf(normalised, start, start + 'on fire'.length, { propertyAtRisk: true })).toBeUndefined();
    expect(discountOf(normalised, start, start + 'on fire'.length)).toBe('not_a_person');
  });

  it('"home and stable", "hoy respira tranquilo" and "two nights ago" are read', () => {
    expect(discountOfCue('my uncle collapsed at the gym, he s home and stable after the tests', 'collapsed')).toBe('over');
    expect(discountOfCue('se puso morado en la madrugada y hoy respira tranquilo', 'morado')).toBe('over');
    expect(discountOfCue('two nights ago my grandpa fainted in the kitchen', 'fainted')).toBe('past');
  });

  it('farm animals are animals', () => {
    expect(discountOfCue('se me está ahogando un ternero en la quebrada', 'ahogando')).toBe('not_a_person');
  });

  it('something that "has" the speaker in a state is a figure, unless it is an illness', () => {
    expect(discountOfCue('el trancón de la séptima me tiene sin aire', 'sin aire')).toBe('figurative');
    expect(discountOfCue('la neumonía me tiene sin aire desde anoche', 'sin aire')).toBeUndefined();
  });

  it('"estoy que me desmayo" is a figure of speech', () => {
    expect(discountOfCue('estoy que me desmayo de lo cansada', 'desmayo')).toBe('figurative');
  });
});

describe('namesNoEvent', () => {
  const names = (text: string, cue: string): boolean => {
    const normalised = normalizeText(text);
    const start = normalised.indexOf(normalizeText(cue));
    return namesNoEvent(normalised, start, start + normalizeText(cue).length);
  };

  it('a cover named after a risk is no event; the risk happening is one', () => {
    expect(names('quiero cotizar un seguro contra incendio para la finca', 'incendio')).toBe(true);
    expect(names('does the personal accident policy include dental?', 'accident')).toBe(true);
    expect(names('hubo un incendio en la finca asegurada', 'incendio')).toBe(false);
  });

  it('locked out is not trapped', () => {
    expect(names('mi hijo quedó atrapado afuera del apartamento sin llaves', 'atrapado')).toBe(true);
    expect(names('mi hijo quedó atrapado en el ascensor', 'atrapado')).toBe(false);
  });
});

describe('saysNoOneIsHurt', () => {
  it.each([
    ['se pinchó la llanta en la autopista, nadie salió herido', true],
    ['chocamos contra un poste pero no hubo lesionados', true],
    ['we skidded off the road, nobody got hurt', true],
    ['bateu o carro, ninguém se machucou', true],
    ['se rompió un tubo en la cocina, nadie corre peligro', true],
    ['chocamos y mi esposo está herido', false],
  ])('"%s" → %s', (text, expected) => {
    expect(saysNoOneIsHurt(normalizeText(text))).toBe(expected);
  });
});

describe('discountOf, for a call for help', () => {
  it('a call for help has no referent: the object named before it is not the one at risk', () => {
    expect(discountOf(normalizeText('the car is insured with you please send help'), 35, 44, { callForHelp: true })).toBeUndefined();
    expect(discountOf(normalizeText('the car is insured with you please send help'), 35, 44)).toBe('not_a_person');
    expect(discountOf(normalizeText('mi gato convulsiona, ambulancia'), 20, 30, { callForHelp: true })).toBe('not_a_person');
  });
});
