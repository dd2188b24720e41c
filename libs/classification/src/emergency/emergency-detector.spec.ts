import { normalizeText } from '../text/normalizer';
import { EmergencyDetector, EmergencyLevel } from './emergency-detector';

const detector = new EmergencyDetector();
const levelOf = (text: string, modelScore: number): EmergencyLevel => {
  const normalised = normalizeText(text);
  return detector.assess(normalised, normalised, modelScore).level;
};

describe('EmergencyDetector', () => {
  it('a strong cue about a person, now, is an emergency unless the head all but rules it out', () => {
    expect(levelOf('mi mamá no puede respirar', 0.15)).toBe('emergency');
  });

  it('supporting cues of two kinds decide together when the head gives them a little support', () => {
    expect(levelOf('tiene 40 de fiebre y no me reconoce', 0.15)).toBe('emergency');
    expect(levelOf('tiene 40 de fiebre y no me reconoce', 0.01)).toBe('possible');
  });

  it('one supporting cue needs the head, else it is a possible emergency', () => {
    expect(levelOf('hubo un accidente en la vía', 0.3)).toBe('emergency');
    expect(levelOf('hubo un accidente en la vía', 0.05)).toBe('possible');
  });

  it('the head alone decides only when nearly sure; below that it is possible, then routine', () => {
    expect(levelOf('necesito ayuda con mi papá', 0.9)).toBe('emergency');
    expect(levelOf('necesito ayuda con mi papá', 0.5)).toBe('possible');
    expect(levelOf('necesito ayuda con mi papá', 0.1)).toBe('routine');
  });

  it('risk words explained away leave the head no ground', () => {
    expect(levelOf('mi perro se está ahogando con un hueso', 0.9)).toBe('routine');
    expect(levelOf('ayer no podía respirar pero ya está bien', 0.5)).toBe('routine');
    expect(levelOf('esta deuda me está ahogando', 0.9)).toBe('routine');
  });

  it('a message about an animal and no person: the head alone makes it possible at most', () => {
    expect(levelOf('mi perrita jadea sin parar y tiene la lengua morada', 0.9)).toBe('possible');
    expect(levelOf('mi perrita jadea sin parar y tiene la lengua morada', 0.5)).toBe('routine');
    expect(levelOf('mi perrita está rara y mi mamá jadea sin parar', 0.9)).toBe('emergency');
  });

  it('"no contesta" in a message naming no person neither makes an emergency nor explains the head away', () => {
    expect(levelOf('se fue la luz en todo el barrio y la empresa no contesta', 0.3)).toBe('possible');
    expect(levelOf('lo encontramos tirado en el piso y no responde', 0.9)).toBe('emergency');
  });

  it('the heads alone call a message that says it is over a possible emergency at most, and a reading told as over is no emergency', () => {
    expect(levelOf('my father-in-law fell last month; he is recovered now, how do we file the claim', 0.9)).toBe('possible');
    expect(levelOf('la semana pasada estuvo saturando 80, gracias a Dios eso ya pasó', 0)).toBe('routine');
  });

  it('a strong cue told in the past, with nothing saying it is over, is a possible emergency', () => {
    expect(levelOf('el sábado mi papá se desmayó, quiero una cita de control', 0)).toBe('possible');
  });

  it('a message that says nobody is hurt makes supporting cues and the head a possible emergency at most', () => {
    expect(levelOf('se reventó una llanta con un estallido, nadie se golpeó, mándenme la grúa', 0.6)).toBe('possible');
    expect(levelOf('necesito ayuda en la vía, no hubo heridos', 0.95)).toBe('possible');
    expect(levelOf('nadie se golpeó en el choque pero mi papá no puede respirar', 0.2)).toBe('emergency');
  });

  it("a person's strong cue in a message that says nobody is hurt is possible; a fire stays an emergency", () => {
    expect(levelOf('la pared del baño está sangrando agua, nadie corre peligro', 0)).toBe('possible');
    expect(levelOf('se está incendiando la bodega, nadie salió herido', 0.2)).toBe('emergency');
  });

  it('risk words told as over leave a nearly sure head a possible emergency, not routine', () => {
    expect(levelOf('se desmayó en el baño, ya está bien', 0.9)).toBe('possible');
    expect(levelOf('se desmayó en el baño, ya está bien', 0.3)).toBe('routine');
    expect(levelOf('ayer no podía respirar pero ya está bien', 0.9)).toBe('possible');
  });

  it('a strong cue the head all but rules out is a possible emergency, not an emergency', () => {
    expect(levelOf('mi mamá no puede respirar', 0.05)).toBe('possible');
    expect(levelOf('mi mamá no puede respirar', 0.1)).toBe('emergency');
  });
});
