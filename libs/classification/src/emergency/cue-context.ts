/**
 * What the words around a risk cue say about it. The same words describe an emergency, one that
 * is over, a phone whose battery "is dying", a dog that "se ahoga", and a debt that "me está
 * ahogando". The detector asks three questions of the cue's surroundings:
 * - who or what is at risk: the nearest person or non-person noun before the cue (or just after
 *   it: "se me muere el cel");
 * - whether it is over: a resolution ("ya está bien", "recovered", "ya está em casa") after it;
 * - whether it is told as past without a resolution ("ayer se desmayó"): uncertain, not routine.
 *
 * Text is the classifier's normalised form: lower-case ASCII words joined by single spaces, in
 * Spanish, English or Spanish shaped by Portuguese.
 */

import { squeezeRepeatedLetters } from '../text/normalizer';

/** Words as people spell them, as the normalised text has them ("roommate" → "romate"). */
const normalisedWords = (words: string): Set<string> => new Set(words.split(' ').map(squeezeRepeatedLetters));
/** A pattern written as people spell its words, for the normalised text. */
const normalisedPattern = (pattern: RegExp): RegExp => new RegExp(squeezeRepeatedLetters(pattern.source), pattern.flags);

/** Why a cue does not, or not surely, mean a person at risk now. */
export type CueDiscount =
  /** A resolution follows it: the emergency happened and is over. */
  | 'over'
  /** What is at risk is an object or an animal. */
  | 'not_a_person'
  /** A money, hunger or mood word is what "kills" or "drowns": a figure of speech. */
  | 'figurative'
  /** Told in the past, with nothing saying it is over or still going on. */
  | 'past'
  /** Asked about as a case that may come ("¿me cubre si me da un infarto?"), not told as happening. */
  | 'hypothetical'
  /** Words offices share with people ("no contesta"), in a message that names no person: no ground either way. */
  | 'no_person_named';

const PERSON_NOUNS = normalisedWords(
  'mama mami mamita papa papi papito padre madre abuelo abuela abuelito abuelita hijo hija hijito hijita nino nina bebe ' +
    'esposo esposa marido mujer senor senora senorita vecino vecina tio tia primo prima hermano hermana sobrino sobrina suegro suegra ' +
    'paciente persona personas companero companera amigo amiga cunado cunada nieto nieta taita mama muchacho muchacha pelado pelada ' +
    'man manes parrillero motociclista ciclista conductor peaton herido heridos senores jefe empleado trabajador ' +
    'novio novia pareja prometido prometida mijo mija chino china pelao cucho cucha viejo vieja ama apa bebito bebita recien nacido ' +
    'girlfriend boyfriend fiance fiancee coworker colleague grandson granddaughter nephew niece toddler infant newborn ' +
    'namorado namorada neto neta bebezinho nenem colega ' +
    'ella ellas ellos she he ele ela eles elas ' +
    'mother mum mom mommy dad father wife husband son daughter baby grandma grandpa grandmother grandfather neighbour neighbor friend ' +
    'roommate flatmate man woman patient child kid boy girl cyclist driver person people brother sister uncle aunt cousin partner ' +
    'mae pai avo avozinha filho filha crianca menino menina vizinho vizinha sogro motoqueiro irmao irma marido',
);

/** Objects whose "death", "choking" or colour is no person's emergency. */
const OBJECT_NOUNS = normalisedWords(
  'celular celu cel movil iphone pila telefono bateria cargador computador compu portatil tablet pantalla app aplicacion mapa rappi ubicacion ' +
    'datos megas senal wifi internet router modem televisor lavadora impresora ventilador bombillo ' +
    'carro motor compresor concentrador maquina equipo llanta pedido paquete domicilio delivery order ' +
    'nevera planta plantas mata matas matica maticas jardin cultivo carne pollo arroz leche fruta frutas verdura verduras ' +
    'phone battery charger laptop computer screen map fridge plant plants engine car tire package data signal',
);

/** Animals: risk words about them are no person's emergency either, however alarming. */
const ANIMAL_NOUNS = normalisedWords(
  'perro perrito perrita perra gato gatico gatito gata mascota mascotas cuy pez peces pescado pajaro loro lora vaca caballo yegua burro ' +
    'gallo gallos gallina gallinas pollito pollitos conejo conejito hamster tortuga cerdo marrano veterinaria veterinario ' +
    'novilla novillo ternero becerro becerra toro ganado oveja ovejas mula potro calf sheep livestock ' +
    'dog puppy cat kitten pet fish bird parrot horse rabbit hamster vet veterinarian ' +
    'cachorro cachorrinho gatinho bicho cavalo papagaio',
);

const NON_PERSON_NOUNS = new Set([...OBJECT_NOUNS, ...ANIMAL_NOUNS]);

/**
 * English person words that are also Spanish verbs: "son" is "they are" ("no son los indicados")
 * unless a determiner makes it a son; "he" is "I have" when a participle follows ("he llamado").
 */
const ENGLISH_DETERMINERS = new Set(['my', 'his', 'her', 'our', 'their', 'your', 'the', 'a', 'whose']);
const SPANISH_PARTICIPLE = /(?:ado|ido|to|cho|sto)$/;
function isPersonWord(words: readonly string[], index: number): boolean {
  const word = words[index];
  if (!PERSON_NOUNS.has(word)) return false;
  if (word === 'son') return index > 0 && ENGLISH_DETERMINERS.has(words[index - 1]);
  if (word === 'he') return !(index + 1 < words.length && SPANISH_PARTICIPLE.test(words[index + 1]));
  return true;
}

/** Money that "drowns" or "kills": "la deuda me está ahogando", "this loan is killing me". */
const MONEY_NOUNS = normalisedWords(
  'deuda deudas cuota cuotas credito creditos tarjeta intereses factura facturas cuentas pagos arriendo extracto recibo cobro saldo ' +
    'prestamo hipoteca debt debts bill bills payment payments interest rent statement loan loans mortgage ' +
    'divida dividas conta contas fatura faturas boleto boletos juros',
);

/** What a figure of speech says is killing or drowning someone: money, work, traffic, hunger. */
const FIGURATIVE_NOUNS = new Set([
  ...MONEY_NOUNS,
  ...normalisedWords('trabajo tramites papeleo notificaciones trafico trancon examenes parcial starving hungry notifications traffic'),
]);

/**
 * States that are figurative only as what one dies "of": "me muero de frío", "dying of boredom",
 * "morrendo de fome". Elsewhere they are symptoms: "está frío, pálido" is a child in shock.
 */
const FIGURATIVE_STATES = normalisedWords(
  'hambre risa sueno aburrimiento estres calor frio rabia ira furia angustia nervios verguenza pena ' +
    'hunger boredom laughter stress cold heat embarrassment fome frio calor riso tedio',
);
const OF_WORDS = new Set(['de', 'del', 'of', 'from', 'with', 'con', 'por', 'do', 'da']);
/** "de tanta hambre", "of so much stress": words between "of" and the state. */
const INTENSIFIERS = new Set(['tanta', 'tanto', 'tantas', 'tantos', 'mucha', 'mucho', 'so', 'such', 'much', 'muita', 'muito']);

/**
 * How far before and after the cue its referent is looked for: about a clause ("se me muere el
 * cel", "mi perro se tragó un hueso y se ahoga"). Beyond it, a message that names animals or
 * objects and no person at all is about them.
 */
const REFERENT_WINDOW_BEFORE = 8;
const REFERENT_WINDOW_AFTER = 3;
/** Figures of speech are local: "la deuda me está ahogando", "me muero de hambre". */
const FIGURATIVE_WINDOW = 6;

/** "boqueando como pescado fuera del agua": a noun compared with is not the one at risk. */
const SIMILE_MARKERS = ['como', 'like', 'parece', 'cual', 'feito', 'tipo'];
/** "el muchacho de la moto", "estamos en Pasto", "con el perro": a noun after these is a complement, not the referent. */
const COMPLEMENT_MARKERS = new Set([
  ...['de', 'del', 'of', 'do', 'da', 'dos', 'das'],
  ...['en', 'con', 'para', 'in', 'at', 'on', 'with', 'em', 'com'],
  ...SIMILE_MARKERS,
]);
const DETERMINERS = new Set([
  'el',
  'la',
  'los',
  'las',
  'un',
  'una',
  'mi',
  'su',
  'tu',
  'the',
  'a',
  'my',
  'his',
  'her',
  'o',
  'os',
  'as',
  'meu',
  'minha',
  'otra',
  'otro',
]);

/**
 * "me tienen al borde del infarto", "casi me da un infarto", "nearly gave me a heart attack": the
 * edge of a risk, or a risk that almost befell the speaker, is a figure of speech. ("casi no puede
 * respirar" is not one: only "almost gave / had / died" turns are.)
 */
const HYPERBOLE_BEFORE = normalisedPattern(
  /\b(?:al borde (?:de(?:l)?|de un)|on the verge of|a beira d[eo]|(?:casi|por poco) (?:(?:me|le|nos|les) )?(?:da|dio|daba|dan|mata|mato|muero|muere|mori|morimos)(?: (?:un|una|de|del))?|me va a dar(?: (?:un|una|algo))?|estoy que(?: me)?|estamos que(?: nos)?|(?:(?:is|s|are|re) )?(?:going to|gonna) (?:give|kill) (?:me|him|her|us)(?: an?)?|(?:almost|nearly) (?:gave|give|gives|had|have|died|killed)(?: (?:me|him|her|us|them))?(?: an?)?|quase (?:(?:me|lhe|nos) )?(?:deu|da|dava|matou|morri|morreu)(?: (?:um|uma))?)\s*$/,
);

const RESOLUTION = normalisedPattern(
  /\b(?:(?:ya|ahora|hoy|pero|agora|ja|now|but|already)(?: (?!no\b|nao\b|not\b|sigue\b|still\b)[a-z]+){0,4} (?:esta|estan|estamos|estoy|quedo|respira|respiro|esta de nuevo|se siente|ta|is|are|s|feels|esta (?:em )?casa) (?:bien|bn|mejor|estable|normal|tranquil[oa]|bem|melhor|fine|ok|okay|stable|better)|(?:lo|la|los|las) estabilizaron|se me (?:quito|paso) (?:la fiebre|el ahogo)|ya (?:esta|estan|quedo|quedaron|se siente|se encuentra|esta de nuevo) (?:bien|mejor|estable|perfect[oa]|tranquil[oa]|normal|fuera de peligro|en (?:la )?casa)|ya (?:se )?(?:recupero|mejoro|estabilizo|salio|(?:volvio|paso)(?! (?:a|al|para|hacia|por)\b))|gracias a dios ya|(?:le|lo|la|me|nos) dieron (?:de )?(?:alta|salida)|(?:amanecio|amaneci|desperto|desperte) (?:bien|mejor|normal|lucid[oa])|(?:fue|salio) dad[oa] de alta|ya (?:le|les|nos|me) (?:llevaron|trajeron|cambiaron|instalaron|repusieron|atendieron)|ya (?:lo|la) (?:atendieron|estabilizaron|operaron)|(?:is|are|s) (?:fine|ok|okay|stable|better|home) now|(?:is|are|s) home and (?:stable|fine|ok|okay|well|better)|(?:has |have )?recovered|already (?:fixed|repaired|put out|under control)|ya (?:lo |la )?(?:apagaron|apagamos|apague|arreglaron|repararon|controlaron|controlamos|desconecte|desconectamos)|(?:ya|ja) (?:estoy|esta|estamos|estou|estamos) recuperad[oa]s?|(?:was|got|been) discharged|already (?:fine|better|home|recovered)|(?:it|that) s over|ja (?:esta|estao) (?:bem|melhor|em casa)|se recuperou|(?:recebeu|teve) alta)\b/,
);

/**
 * "ya volvió en sí pero no coordina", "she's breathing now but still blue": a resolution that a
 * "but" takes back, with a state that goes on, says the emergency is not over.
 */
const TAKEN_BACK = normalisedPattern(
  /^(?:[a-z]+ ){0,2}?(?:pero|but|mas|aunque|though)(?: [a-z]+){0,3}? (?:no|sigue|siguen|todavia|aun|still|not|isn t|can t|ainda|nao|continua)\b/,
);
const TAKEN_BACK_WINDOW = 10;

function isResolvedAfter(after: string): boolean {
  const resolution = RESOLUTION.exec(after);
  if (!resolution) return false;
  const rest = after.slice(resolution.index + resolution[0].length);
  return !TAKEN_BACK.test(firstWords(rest, TAKEN_BACK_WINDOW).join(' '));
}

/**
 * A case asked about, in a message about what a policy or plan covers: "¿me cubre si me da un
 * infarto?", "does it cover me if I have a heart attack?". Both are needed: "si" alone is also
 * "sí" (yes), which a transcript puts before anything ("aló sí buenas, mi mamá no respira"), so
 * only pronouns, articles and verbs of happening may stand between the "if" and the cue.
 */
const HYPOTHETICAL_BEFORE = normalisedPattern(
  /\b(?:si|en caso de(?: que)?|if|in case(?: of)?|caso)(?: (?:me|le|te|nos|les|se|lo|la|el|ella|yo|mi|su|un|una|da|diera|dio|llega|llegara|a|tiene|tengo|tuviera|sufre|sufriera|pasa|i|he|she|we|they|you|my|his|her|have|has|had|get|gets|got|an|suffer))*\s*$/,
);
const COVERAGE_QUESTION = normalisedPattern(/\b(?:cubre|cubren|cubriria|cobertura|cubierto|cubierta|ampara|covers?|covered|coverage|cobre|cobrem)\b/);

/** Global: every occurrence is scanned, for the last one before the cue. */
const PAST_MARKERS = normalisedPattern(
  /\b(?:ayer|anoche|antier|anteayer|hace (?:(?:un|una|dos|tres|cuatro|cinco|unos|unas|varios|varias|[0-9]+) )?(?:dia|dias|semana|semanas|mes|meses|ano|anos)|(?:el|la) (?:mes|ano|semana) pasad[oa]|el (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)|yesterday|last (?:night|week|month|year)|[a-z0-9]+ (?:days|nights|weeks|months|years) ago|ontem|semana passada|ha (?:(?:um|uma|dois|duas|tres|quatro|cinco|[0-9]+) )?(?:dia|dias|semana|semanas|mes|meses|ano|anos))\b/g,
);

/**
 * A state of weeks, months or years, said right after the cue ("se ahoga al caminar desde hace
 * meses", "short of breath for years"): a chronic condition, told as background, not as now.
 */
const CHRONIC_AFTER = normalisedPattern(
  /^(?:[a-z]+ ){0,4}?(?:desde hace|hace|for|faz|ha) (?:(?:un|una|unos|unas|varios|varias|muchos|dos|tres|cuatro|cinco|seis|[0-9]+|several|a few|many|two|three|uns|umas|varios) )?(?:semanas|mes|meses|ano|anos|weeks|months|years|semanas|anos)\b/,
);
const CHRONIC_WINDOW = 9;
/** "se ahoga si camina rápido, eso es lo de siempre": a state told as the usual one, after the cue. */
const USUAL_AFTER = normalisedPattern(/\b(?:lo de siempre|como siempre|de toda la vida|as usual|as always|como sempre)\b/);
/**
 * "llevo meses con el pecho apretado", "quedó con problemas para respirar": a state one has lived
 * with for weeks or more, or was left with, told right before the cue as background.
 */
const CHRONIC_BEFORE = normalisedPattern(
  /\b(?:(?:llevo|lleva|llevamos|llevan|tengo|tiene) (?:(?:unos|unas|varios|varias|muchos|dos|tres|cuatro|cinco|seis|[0-9]+) )?(?:semanas|meses|anos) (?:con|asi|sufriendo)|(?:quedo|quede|quedaron|ha quedado|he quedado) con|(?:have|has) been (?:living )?with)(?: [a-z]+){0,3}\s*$/,
);
/** "se me aprieta el pecho cada fin de mes", "se ahoga cada vez que camina": a state that recurs, told as background. */
const HABITUAL_AFTER = normalisedPattern(
  /^(?:[a-z]+ ){0,3}?(?:cada vez que|cada que|toda vez que|cada (?:fin de )?(?:mes|semana|quincena)|every time|whenever|every month|sempre que|toda vez)\b/,
);
/** "a veces convulsiona", "sometimes he faints": what happens now and then, told as background. */
const HABITUAL_BEFORE = normalisedPattern(
  /\b(?:a veces|de vez en cuando|cada (?:rato|tanto)|sometimes|from time to time|now and then|as vezes|de vez em quando)(?: [a-z]+){0,2}\s*$/,
);

/** The state goes on now: it overrides a past marker before it ("desde ayer", "y hoy sigue"). */
const STILL_NOW = normalisedPattern(
  /\b(?:ahora|ahorita|ya mismo|en este momento|hoy|todavia|sigue|siguen|desde (?:ayer|anoche|antier|hace (?:un rato|(?:un|una|unas|unos|dos|tres|cuatro|cinco|[0-9]+) (?:minutos|hora|horas|dia|dias)))|now|right now|still|today|since (?:yesterday|last)|all night|agora|ainda|hoje|desde ontem)\b/,
);

/**
 * Why the cue at `[start, end)` of `text` does not (surely) mean a person at risk now, if it does
 * not. `personNamed`: the cue counts only in a message that names a person. `callForHelp`: the
 * cue asks for help and has no referent of its own. `propertyAtRisk`: the cue is a fire or a flood,
 * where an object at risk is property at risk.
 */
export function discountOf(
  text: string,
  start: number,
  end: number,
  { personNamed = false, callForHelp = false, propertyAtRisk = false } = {},
): CueDiscount | undefined {
  const before = text.slice(0, start);
  // The turns right before a cue span a few words: tested on those alone, not on the whole of a
  // long message (a pattern anchored at the end is otherwise tried from every position).
  const justBefore = lastWordsOf(before, JUST_BEFORE_CHARACTERS);
  if (HYPERBOLE_BEFORE.test(justBefore) || isCausedFigure(before, justBefore)) return 'figurative';
  const after = text.slice(end);
  // After "no contesta" comes what is not answered ("el teléfono"), not who.
  // A call for help has no referent of its own; the message's animals-alone reading still holds.
  const referent = callForHelp ? (isAboutAnimalsAlone(text) ? 'not_a_person' : undefined) : referentOf(text, before, after, !personNamed);
  if (referent === 'figurative') return 'figurative';
  // A fire or a flood is a risk to property too: an object there is what is at risk, not a sign
  // that nobody is (an animal alone still is no one).
  if (referent === 'not_a_person' && !(propertyAtRisk && !isAboutAnimalsAlone(text))) return 'not_a_person';
  // A cue that offices and lines share with people ("no contesta") needs a person around it.
  if (personNamed && referent !== 'person' && !nounsOf(text).person) return 'no_person_named';
  if (isResolvedAfter(after)) return 'over';
  if (HYPOTHETICAL_BEFORE.test(justBefore) && COVERAGE_QUESTION.test(text)) return 'hypothetical';
  const soon = firstWords(after, CHRONIC_WINDOW).join(' ');
  if (CHRONIC_AFTER.test(soon) || USUAL_AFTER.test(soon) || HABITUAL_AFTER.test(soon) || HABITUAL_BEFORE.test(justBefore) || CHRONIC_BEFORE.test(justBefore))
    return 'past';
  const past = lastMatchIndex(PAST_MARKERS, before);
  if (past >= 0 && !STILL_NOW.test(text.slice(Math.max(0, past - 'desde '.length)))) return 'past';
  return undefined;
}

/** How much of the text before a cue the turns right before it (hyperbole, hypothesis) are looked for in. */
const JUST_BEFORE_CHARACTERS = 100;

/** The end of `text`, about `characters` long, starting at a word. */
function lastWordsOf(text: string, characters: number): string {
  if (text.length <= characters) return text;
  const space = text.indexOf(' ', text.length - characters);
  return space < 0 ? '' : text.slice(space + 1);
}

/** The last `count` words of `text` (trailing space ignored). */
function lastWords(text: string, count: number): string[] {
  let end = text.length;
  while (end > 0 && text[end - 1] === ' ') end -= 1;
  let from = end;
  for (let found = 0; found < count && from > 0; found += 1) {
    const space = text.lastIndexOf(' ', from - 1);
    from = space < 0 ? 0 : space;
  }
  return text.slice(from, end).trim().split(' ');
}

/** The first `count` words of `text` (leading space ignored). */
function firstWords(text: string, count: number): string[] {
  let start = 0;
  while (start < text.length && text[start] === ' ') start += 1;
  let to = start;
  for (let found = 0; found < count && to < text.length; found += 1) {
    const space = text.indexOf(' ', to + 1);
    to = space < 0 ? text.length : space;
  }
  return text.slice(start, to).split(' ');
}

function referentOf(text: string, before: string, after: string, readAfter: boolean): 'person' | 'not_a_person' | 'figurative' | undefined {
  // Enough words before the window for isComplement and followsOf to look past it.
  const wordsBefore = lastWords(before, REFERENT_WINDOW_BEFORE + 4);
  const wordsAfter = firstWords(after, REFERENT_WINDOW_AFTER);
  for (let i = wordsBefore.length - 1, seen = 0; i >= 0 && seen < REFERENT_WINDOW_BEFORE; i -= 1, seen += 1) {
    const kind = nounKind(wordsBefore, i);
    if (kind === 'figurative') {
      // "la cuota del crédito me está ahogando": a complement is figurative context too.
      if (seen < FIGURATIVE_WINDOW) return kind;
      continue;
    }
    if (kind && !isComplement(wordsBefore, i)) return kind;
  }
  for (let i = 0; readAfter && i < Math.min(wordsAfter.length, REFERENT_WINDOW_AFTER); i += 1) {
    const kind = nounKind(wordsAfter, i);
    // "muriéndome de hambre": a state after "of" is the figure itself, not a complement.
    if (kind === 'figurative' || (kind && !isComplement(wordsAfter, i))) return kind;
  }
  if (isSpeakersFigure(before, wordsBefore)) return 'figurative';
  // Beyond the window only animals count: objects ("la app", "el mapa") are named as channels in
  // messages about people too.
  return isAboutAnimalsAlone(text) ? 'not_a_person' : undefined;
}

/** Words of illness and care: with them near, a speaker short of breath may well be ill ("no pagué la factura del oxígeno y me estoy ahogando"). */
const ILLNESS_WORDS = normalisedWords(
  'oxigeno oxygen oxigenio covid cilindro tanque bala pipeta concentrador fiebre fever febre neumonia pneumonia asma asthma epoc copd ' +
    'enfermo enferma sick doente hospital clinica clinic medico doctor ambulancia ambulance saturacion saturation pulmon pulmones lungs alergia allergic',
);

/**
 * "este calor me tiene sin aire", "el jefe me tiene al borde": something "has" the speaker in a
 * state. Said of an illness ("el covid me tiene sin aire") it is the illness speaking; of
 * anything else, a figure.
 */
const CAUSATIVE_BEFORE = /\b(?:me|nos) (?:tiene|tienen|tenia|tenian|trae|traen) $/;
const CAUSE_WINDOW = 6;
function isCausedFigure(before: string, justBefore: string): boolean {
  return CAUSATIVE_BEFORE.test(justBefore) && !lastWords(before, CAUSE_WINDOW).some((word) => ILLNESS_WORDS.has(word));
}

/** Words right before a cue that make the speaker its subject: "me estoy ahogando", "siento que no me alcanza el aire". */
const SPEAKER_MARKERS = new Set(['me', 'estoy', 'siento', 'senti', 'sentia', 'i', 'im', 'eu', 'estou', 'sinto']);
const SPEAKER_MARKER_WINDOW = 3;
/**
 * How far back a money word makes the speaker's own drowning or tight chest a figure:
 * "este crédito me tiene con el agua al cuello; siento que me estoy ahogando" spans a sentence.
 */
const SPEAKER_FIGURE_WINDOW = 16;

/**
 * The speaker says they are drowning, short of air or tight in the chest, and a debt, a bill or
 * an instalment (money, not work or traffic, which are also where people fall ill) is named in
 * the sentences before, with no other person and no illness there: the speaker is speaking of
 * money, not of breath. (A person named near the cue is its referent instead.)
 */
function isSpeakersFigure(before: string, nearWords: readonly string[]): boolean {
  if (!nearWords.slice(-SPEAKER_MARKER_WINDOW).some((word) => SPEAKER_MARKERS.has(word))) return false;
  const words = lastWords(before, SPEAKER_FIGURE_WINDOW);
  let figurative = false;
  for (let index = 0; index < words.length; index += 1) {
    if (isPersonWord(words, index) || ILLNESS_WORDS.has(words[index])) return false;
    if (MONEY_NOUNS.has(words[index])) figurative = true;
  }
  return figurative;
}

function isComplement(words: readonly string[], index: number): boolean {
  let i = index - 1;
  while (i >= 0 && DETERMINERS.has(words[i])) i -= 1;
  return i >= 0 && COMPLEMENT_MARKERS.has(words[i]);
}

function nounKind(words: readonly string[], index: number): 'person' | 'not_a_person' | 'figurative' | undefined {
  const word = words[index];
  if (isPersonWord(words, index)) return 'person';
  if (NON_PERSON_NOUNS.has(word)) return 'not_a_person';
  if (FIGURATIVE_NOUNS.has(word)) return 'figurative';
  if (FIGURATIVE_STATES.has(word) && followsOf(words, index)) return 'figurative';
  return undefined;
}

/** "de frío", "de la risa", "of boredom": the word before, determiners skipped, is "of". */
function followsOf(words: readonly string[], index: number): boolean {
  let i = index - 1;
  while (i >= 0 && (DETERMINERS.has(words[i]) || INTENSIFIERS.has(words[i]))) i -= 1;
  return i >= 0 && OF_WORDS.has(words[i]);
}

/** `pattern` is global; its position is reset first, so one instance serves every call. */
function lastMatchIndex(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let last = -1;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) last = match.index;
  return last;
}

/**
 * The message names an animal and no person at all ("mi perrita respira con la boca abierta y
 * tiene la lengua morada"): symptoms it describes are the animal's. The emergency head, which
 * learnt symptoms from people, cannot tell on its own.
 */
export function isAboutAnimalsAlone(text: string): boolean {
  const { person, animal } = nounsOf(text);
  return animal && !person;
}

/** The message names a person ("mi papá", "she", "the driver"), the speaker aside. */
export function namesAPerson(text: string): boolean {
  return nounsOf(text).person;
}

/** Whether the text names a person, an animal; the last text's answer is kept (several cues of one message ask). */
function nounsOf(text: string): { person: boolean; animal: boolean } {
  if (text === lastNouns.text) return lastNouns;
  let person = false;
  let animal = false;
  const words = text.split(' ');
  for (let index = 0; index < words.length; index += 1) {
    if (isPersonWord(words, index)) person = true;
    else if (ANIMAL_NOUNS.has(words[index])) animal = true;
  }
  lastNouns = { text, person, animal };
  return lastNouns;
}

let lastNouns = { text: '', person: false, animal: false };

/**
 * The message says an emergency is over somewhere ("he's recovered now", "ya está bien"): when the
 * heads alone call an emergency, with no cue to read the resolution against, it is possible only.
 */
export function saysItIsOver(text: string): boolean {
  return RESOLUTION.test(text);
}

/**
 * "nadie se golpeó", "no hubo heridos", "nobody was hurt": the message says outright that no one
 * is hurt. Supporting cues ("estallido", "accidente"), the heads, and a strong cue in a message
 * that names no person then make a possible emergency at most: a risk is still seen, but not
 * called an emergency on their word.
 */
const NO_ONE_HURT = normalisedPattern(
  /\b(?:nadie (?:(?:se|salio|resulto|quedo|esta|estuvo|fue) )?(?:golpeo|golpeado|golpeada|golpeados|herido|herida|heridos|lastimado|lastimada|lastimo|lesionado|lesionada|lesiono|aporreo|aporreado|hirio)|no (?:hay|hubo|tenemos|tuvimos) (?:ningun )?(?:heridos|lesionados|herido|lesionado|lastimados)|sin (?:heridos|lesionados)|(?:nobody|no one|noone) (?:was |is |got |s )?(?:hurt|injured)|no injuries|nadie (?:esta |corre |estuvo |corrio )?(?:en )?peligro|(?:nobody|no one) (?:is |was )?in danger|ningu[em]m? (?:esta |ficou |se )?(?:ferido|machucou|machucado)|nao (?:ha|houve|tem|teve) feridos)\b/,
);

export function saysNoOneIsHurt(text: string): boolean {
  return NO_ONE_HURT.test(text);
}

/** "seguro de accidentes", "póliza contra incendio", "accident policy": the name of a cover, not an event. */
const COVER_NAME_BEFORE = normalisedPattern(
  /\b(?:poliza|seguro|seguros|amparo|cobertura|plan|apolice|policy|insurance)(?: (?:de|del|contra|por|para|against|for|de hogar|de vida))? (?:(?:la|el|los|las) )?(?:personal )?$/,
);
const COVER_NAME_AFTER = /^ ?(?:personales |personal )?(?:policy|insurance|cover|coverage|plan)\b/;
/** "quedé atrapada por fuera de la casa": locked out, not trapped. */
const LOCKED_OUT_AFTER = /^ ?(?:por )?(?:fuera|afuera)\b/;

/**
 * The cue's words name no event: a cover's name ("póliza de accidentes personales") or being
 * locked out ("atrapado por fuera"). Such a match is skipped, as a negated one is.
 */
export function namesNoEvent(text: string, start: number, end: number): boolean {
  const after = text.slice(end, end + 40);
  if (LOCKED_OUT_AFTER.test(after) && /atrapad/.test(text.slice(start, end))) return true;
  // Only the words just before are read: a cue in a long message is not worth copying its start.
  return COVER_NAME_AFTER.test(after) || COVER_NAME_BEFORE.test(lastWordsOf(text.slice(Math.max(0, start - 61), start), 60));
}
