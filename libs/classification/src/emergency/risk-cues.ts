/**
 * A small set of normalised risk cues: ways Colombian Spanish (and the English and the
 * Portuguese-shaped Spanish of foreigners living in Colombia) says that a life, health or
 * property is at risk right now. They back up the emergency head, which learns from the corpus
 * but can miss a wording it never saw; for emergencies a miss costs far more than a false alarm.
 *
 * Cues match the normalised words (no accents, lower case, typos corrected), joined by single
 * spaces. They are phrased as events and states ("no puede respirar", "se está incendiando"),
 * not topics ("seguro contra incendio"), and each match is checked for negation ("no hay
 * heridos") and figures of speech ("ahogado en deudas").
 */

import { squeezeRepeatedLetters } from '../text/normalizer';
import { CueAnchorIndex } from './cue-anchors';
import { CueDiscount, discountOf, namesNoEvent } from './cue-context';

export type RiskKind =
  | 'breathing'
  | 'oxygen_out'
  | 'unconscious'
  | 'cardiac'
  | 'bleeding_or_injury'
  | 'fire_or_gas'
  | 'flood_or_collapse'
  | 'violence'
  | 'allergic_reaction'
  | 'high_fever'
  | 'confusion'
  | 'dying';

/**
 * `strong`: on its own enough to call an emergency (nobody says "no respira" in passing).
 * `supporting`: an emergency only when the emergency head also leans that way, because the same
 * words often describe past or hypothetical events ("el accidente del mes pasado", "¿cubre
 * ambulancia?").
 */
export type CueStrength = 'strong' | 'supporting';

export interface RiskCue {
  kind: RiskKind;
  strength: CueStrength;
  /** The cue's alternatives, without the whole-word anchors. */
  source: string;
  pattern: RegExp;
  /**
   * Words said as often of offices and lines as of people ("Air-e no contesta", "el ajustador no
   * responde los correos"): they count only when the words around them name a person.
   */
  personNamed: boolean;
  /**
   * A call for help ("manden una ambulancia", "send help"), not a state: it has no referent, so
   * the object named before it ("the car is insured with you, please send help") is not at risk
   * in its place.
   */
  callForHelp: boolean;
}

export interface RiskCueMatch {
  kind: RiskKind;
  strength: CueStrength;
  /** The matched words. */
  phrase: string;
  /** Set when the words around the cue say it is over, not about a person, figurative, or past. */
  discount?: CueDiscount;
}

const cue = (kind: RiskKind, strength: CueStrength, written: string, { personNamed = false, callForHelp = false } = {}): RiskCue => {
  // Cues are written as people spell them ("passed out"); the text they match is normalised, and
  // normalisation squeezes doubled letters other than Spanish's own ("pased out").
  const source = squeezeRepeatedLetters(written);
  return {
    kind,
    strength,
    source,
    // Whole words only; the text is normalised to [a-z ] so \b is reliable.
    pattern: new RegExp(`\\b(?:${source})\\b`, 'g'),
    personNamed,
    callForHelp,
  };
};

export const RISK_CUES: readonly RiskCue[] = [
  cue('breathing', 'strong', 'no (?:puede|puedo|pueden|podia|logra|alcanza|esta pudiendo) (?:ni )?(?:a )?respirar|no (?:esta )?respira(?:ndo)?'),
  cue(
    'breathing',
    'strong',
    '(?:le|me|nos) (?:esta )?(?:cuesta|costando) (?:mucho |harto )?respirar|(?:dificultad|problemas?) (?:para|al) respirar|dificultad respiratoria',
  ),
  cue(
    'breathing',
    'strong',
    'respira(?:ndo)? (?:muy |super )?(?:mal|feo|poquito|cortico|raro|rapido|rapidito|con (?:mucha |harta |bastante |gran )?(?:dificultad|esfuerzo|quejidos))|se le hunden las costillas',
  ),
  cue(
    'breathing',
    'strong',
    '(?:ahogando|asfixiando)(?:se)?|(?:me|se|nos|le) (?:ahogo|ahoga|asfixia)|(?:esta|estoy|muy) ahogad[oa]|boqueando|(?:falta|sin) (?:de )?aire',
  ),
  cue('breathing', 'strong', 'desatur[a-z]*|saturacion (?:muy )?(?:baja|bajita)|se le (?:esta )?cerr(?:o|ando) la garganta'),
  // Breathless speech: a patient who cannot finish a sentence is short of air (a triage sign).
  cue(
    'breathing',
    'supporting',
    '(?:le|me) (?:esta )?(?:cuesta|costando) (?:mucho )?hablar|no (?:puede|logra|alcanza a) (?:terminar|completar) (?:una |la )?(?:frase|oracion)|(?:can t|cannot|can not) finish (?:a )?sentence',
  ),
  cue(
    'breathing',
    'strong',
    '(?:labios|cara|unas|dedos|piel|boca) (?:muy )?(?:morad[oa]s?|azul(?:es|ada|ado)?|gris)|(?:poniendo|puso|esta|ve|ven) (?:muy )?(?:morad[oa]|azul|gris)',
  ),
  cue(
    'oxygen_out',
    'supporting',
    '(?:se (?:le |nos |me )?)?(?:acabo|termino|agoto|esta acabando|esta terminando) (?:el |la )?(?:oxigeno|bala|pipeta|tanque|cilindro)|sin (?:el )?oxigeno|(?:bala|cilindro|tanque|balon|pipeta) (?:de oxigeno )?(?:esta |quedo )?vaci[oa]|(?:bala|cilindro|tanque|pipeta) se (?:acabo|agoto|termino)|(?:oxigeno|bala|balita|cilindro|tanque|pipeta|cylinder|tank) se (?:le |nos |me )?(?:esta )?(?:acabando|terminando|agotando|vaciando)',
  ),
  cue(
    'unconscious',
    'strong',
    'inconsciente|perdio el conocimiento|se (?:nos |le |me )?desmay[a-z]*|desmayad[oa]|convulsi[a-z]*|no (?:reacciona|despierta|abre los ojos)',
  ),
  // Offices and adjusters "no responden" too: only with the head's support, and a person named.
  cue('unconscious', 'supporting', 'no (?:responde|contesta|habla)|ni habla', { personNamed: true }),
  cue('unconscious', 'supporting', 'vomitando|(?:golpe|pego|golpeo) (?:en )?la cabeza'),
  cue(
    'cardiac',
    'strong',
    'infarto|paro (?:cardiaco|respiratorio|cardiorrespiratorio)|dolor (?:muy )?(?:fuerte |terrible |horrible )?(?:en el )?pecho|(?:duele|dolor) (?:mucho |horrible )?(?:el )?pecho|se agarra el pecho',
  ),
  cue(
    'cardiac',
    'strong',
    '(?:boca|cara) (?:se le )?(?:torcio|torcida)|(?:cara|boca) torcida|se le (?:durmio|adormecio) (?:el lado|la mitad|la cara|medio cuerpo)|derrame cerebral',
  ),
  cue(
    'bleeding_or_injury',
    'strong',
    'sangrando|sangrar|desangr[a-z]*|hemorragia|(?:bota|botando|sale|saliendo|sangre) (?:mucha )?sangre|herid[oa]s?|lesionad[oa]s?|atropell[a-z]*',
  ),
  cue(
    'bleeding_or_injury',
    'strong',
    '(?:le|lo|la|les|nos|me) (?:dispararon|disparo|hirieron|apunalaron|dieron una punalada)|punalada|balacera|no se mueve|atrapad[oa]s?|(?:pierna|brazo|cadera) (?:rota|partida|fracturada|doblada)|(?:tiene|tengo|con) sangre|no (?:se )?(?:puede|puedo) (?:mover|levantar)',
  ),
  cue(
    'bleeding_or_injury',
    'strong',
    'se (?:tomo|trago|comio) (?:unas |las |todas las |un frasco de )?(?:pastillas|veneno|pastas)|intoxicad[oa]|envenenad[oa]|sobredosis',
  ),
  cue(
    'fire_or_gas',
    'strong',
    '(?:se )?(?:esta )?incendiando|se incendio|hay (?:un )?incendio|hay (?:fuego|llamas?)|en llamas|ardiendo|(?:se )?prendio en candela|(?:llenando|lleno|llena) de humo|(?:fuga|escape|olor) (?:de|a) gas|huele (?:mucho )?a gas|(?:saliendo|sale|se sale|se esta saliendo) el gas',
  ),
  cue('fire_or_gas', 'supporting', 'incendio|fuego|humo|llamas?|candela|se (?:esta )?quemando|cortocircuito|chispas|exploto|explosion|estallido'),
  cue(
    'flood_or_collapse',
    'strong',
    '(?:se )?(?:esta |estan )?inundando|se (?:esta |nos )?(?:entrando|metiendo) (?:el )?agua|agua (?:se )?(?:esta )?(?:metiendo|entrando)|se (?:cayo|vino abajo|esta cayendo) (?:el techo|un muro|la pared|la casa|pedazo del techo)|derrumbe|deslizamiento|avalancha',
  ),
  cue('flood_or_collapse', 'supporting', 'inundacion|inundado|inundada|se inundo|aguacero|creciente|agua (?:esta )?subiendo|temblor|temblando|terremoto'),
  cue('violence', 'supporting', 'ladron(?:es)?|amenazando|armad[oa]s?|escondid[oa]s?'),
  cue(
    'violence',
    'strong',
    '(?:estan|esta|nos estan|me estan|lo estan|la estan) (?:robando|atracando|asaltando|apunalando|golpeando|disparando)|(?:con|tiene|tienen|saco) (?:un |una )?(?:cuchillo|pistola|arma|revolver)|(?:se|nos) (?:estan )?(?:metiendo|entrando|metieron|entraron) a robar',
  ),
  cue('allergic_reaction', 'strong', 'reaccion alergica|anafila[a-z]*|se (?:esta |le esta )?hinchando'),
  cue('dying', 'strong', 'muriendo(?:se)?|se (?:nos |me |le )?(?:va a )?(?:muere|morir)'),
  cue('dying', 'supporting', 'grave|urgencias|accidente|choque|chocaron|me chocaron|estrellamos|estrelle|volco|volcado|confundid[oa]|desorientad[oa]|ataque'),
  cue('dying', 'supporting', 'ambulancia|manden ayuda', { callForHelp: true }),
  // Indirect Spanish wordings of the same states: how relatives describe them rather than name them.
  cue(
    'breathing',
    'strong',
    'no (?:le|me|nos) (?:alcanza|entra|llega) (?:el )?aire|respirando con la boca abierta|(?:respiracion|respira) (?:muy )?(?:cortica|corta|entrecortada)|(?:cara|piel|labios|boca) (?:color )?(?:ceniza|grisacea|grisaceos?|gris)|(?:se esta poniendo|se puso|esta) (?:grisacea|gris|cenizo)',
  ),
  cue('breathing', 'supporting', 'muy agitad[oa]|jadeando|resoplando|se (?:le )?hunde (?:la barriguita|el pecho|la barriga)'),
  cue(
    'unconscious',
    'supporting',
    '(?:muy )?palid[oa]|sudando frio|(?:esta )?como dormid[oa]|no se (?:levanta|despierta)|(?:very )?pale|cold sweat|(?:muito )?palid[oa]',
  ),
  cue(
    'cardiac',
    'strong',
    'se le (?:torcio|tuerce|esta torciendo|fue de lado) (?:la boca|la cara)|no (?:puede|logra) (?:levantar|mover) (?:el brazo|la pierna|un lado)|(?:face|mouth) (?:is )?drooping',
  ),
  cue('cardiac', 'supporting', 'se queja del pecho|(?:le|me) duele el pecho|dolor de pecho'),
  cue(
    'bleeding_or_injury',
    'strong',
    '(?:tirad[oa] |esta |quedo )?en el (?:suelo|piso|pavimento|asfalto) y no se (?:levanta|mueve)|tirad[oa] en (?:la via|la carretera|la calle|el piso|el suelo|el pavimento)|no (?:me |se )?(?:puedo|puede|logro|logra) (?:parar|levantar|mover)(?:me|se)?|sigue (?:adentro|atrapad[oa]|encerrad[oa])',
  ),
  cue('bleeding_or_injury', 'supporting', '(?:esta|quedo|quedaron) en el (?:piso|suelo|pavimento)|(?:casco|cabeza) (?:roto|rota|partida)'),
  cue(
    'fire_or_gas',
    'strong',
    'se prendio (?:el |la )?(?:carro|moto|casa|cocina|bus|buseta|camion|vehiculo|apartamento|local|estufa)|(?:carro|moto|casa|cocina|bus|buseta|camion|vehiculo|apartamento|local|estufa) se prendio|se (?:esta )?quemando (?:todo|la casa|el carro|el apartamento|la cocina)',
  ),
  cue(
    'cardiac',
    'strong',
    '(?:el )?pecho (?:le |me )?(?:aprieta|apretaba|apretado|oprime|duele mucho)|(?:le|me) aprieta el pecho|(?:apretando|apretandole|apretandome|oprimiendo|oprimiendole|oprimiendome) el pecho|(?:presion|opresion|peso) (?:muy fuerte )?en el pecho',
  ),
  cue(
    'confusion',
    'supporting',
    'no (?:me |nos |la |lo )?reconoce|no (?:conoce|reconoce) a (?:nadie|naide)|no se le entiende|(?:esta|anda) como ido|no sabe (?:donde|en donde|quien) (?:esta|es)|dice cosas sin sentido|habla incoherencias|(?:le )?cuesta mantener los ojos abiertos|(?:no (?:quiere|puede) )?despertar(?:se)? bien|casi no puede hablar|muy (?:confundid[oa]|desorientad[oa])',
  ),
  cue(
    'high_fever',
    'supporting',
    '(?:fiebre|temperatura|calentura|fever|febre|temperature)(?: [a-z]+){0,3} (?:4[0-2]|39 [5-9])|(?:4[0-2]|39 [5-9]) (?:de |grados de |degrees )?(?:fiebre|temperatura|calentura|fever|febre)',
  ),
  cue(
    'oxygen_out',
    'supporting',
    'concentrador (?:se (?:apago|dano|paro)|dejo de (?:funcionar|sacar aire)|no (?:bota|saca|da) aire)|(?:manometro|reloj) (?:marca|esta en|en) cero|(?:bala|cilindro|tanque|pipeta) se (?:vacio|acabo)',
  ),
  // English, as a foreigner living in Colombia writes it.
  cue(
    'breathing',
    'strong',
    '(?:can ?not|can t|cant|cannot|unable to|struggling to|barely|hardly|trouble|difficulty|hard to) (?:breathe|breathing)|not breathing|stopped breathing|short(?:ness)? of breath|gasping|choking|suffocating|can t get (?:enough )?air|(?:lips|face|fingers|skin|mouth) (?:look |looks |are |is |went |turning |turned |getting )?(?:blue|purple|grey|gray|bluish|greyish)|turning (?:blue|grey|gray|purple)|breathing (?:really |very |too )?(?:fast|badly|hard|heavily|weird)|sucking in under (?:his|her|their) ribs',
  ),
  cue('breathing', 'supporting', 'panting|wheezing|out of breath'),
  cue('unconscious', 'strong', 'unconscious|passed out|fainted|(?:won t|wont|doesn t|will not|can t) wake up|not waking up|unresponsive|seizure|collapsed'),
  cue('confusion', 'supporting', 'confused|not making sense|doesn t (?:recognize|recognise|know where)|can barely speak|not responding|disoriented|delirious'),
  cue('cardiac', 'strong', 'chest (?:pain|hurts|feels (?:crushed|tight|heavy))|heart attack|having a stroke|a stroke'),
  cue(
    'bleeding_or_injury',
    'strong',
    'bleeding|lots of blood|blood everywhere|can t (?:move|feel) (?:his|her|my|their) (?:arm|arms|leg|legs|neck|side|body)|(?:badly |seriously )?injured|not moving|lying on the (?:road|ground|floor|street)|run over|hit by a (?:car|bus|motorbike|truck)|overdosed|overdose',
  ),
  cue('fire_or_gas', 'strong', 'on fire|is burning|(?:full of|lots of|thick) smoke|gas leak|smells? (?:of|like) gas'),
  cue('flood_or_collapse', 'strong', 'is flooding|(?:water is|water s) (?:coming|pouring|getting) in|roof (?:is collapsing|collapsed|fell)'),
  cue('violence', 'strong', '(?:being|getting) (?:robbed|attacked|stabbed|shot)|has a (?:gun|knife)|break(?:ing)? in'),
  cue('allergic_reaction', 'strong', 'allergic reaction|anaphyla[a-z]*|(?:throat|face|tongue) is swelling'),
  cue('dying', 'supporting', 'dying|going to die|crashed|car accident|accident|we hit'),
  cue('dying', 'supporting', 'ambulance|send help', { callForHelp: true }),
  cue(
    'oxygen_out',
    'supporting',
    '(?:oxygen|tank|cylinder|concentrator) (?:is |has )?(?:ran |run )?(?:out|empty|stopped|died)|ran out of oxygen|out of oxygen|no oxygen left',
  ),
  // Spanish shaped by Portuguese, as a Brazilian living in Colombia writes it.
  cue(
    'breathing',
    'strong',
    'nao (?:consegue|consigo|pode|esta conseguindo) respirar|sem ar|falta de ar|(?:labios|boca|rosto|cara|dedos) (?:estao |esta |ficando )?(?:azuis|azul|roxos|roxo|roxa|cinza)|ficando (?:azul|roxo|roxa|cinza)|respirando (?:muito )?(?:rapido|mal)|sufocando|(?:barriguinha|barriga|costelas) afunda',
  ),
  cue('unconscious', 'strong', 'desmaiou|desmaiad[oa]|nao (?:acorda|quer acordar|reage)|convulsionando'),
  cue('confusion', 'supporting', 'confus[oa]|sem sentido|nao sabe onde esta|nao (?:me )?reconhece'),
  cue('cardiac', 'strong', 'dor (?:forte )?no peito|aperto no peito'),
  cue(
    'bleeding_or_injury',
    'strong',
    'sangr(?:ando|a) muito|ferid[oa]s?|nao se mexe|(?:esta )?no chao|(?:me|nos|lhe) (?:derrubou|atropelou)|atropelad[oa]|(?:joelho|perna|braco|cabeca) (?:esta )?(?:aberta|aberto|quebrad[oa])',
  ),
  cue('fire_or_gas', 'strong', 'pegando fogo|cheiro de gas|cheia de fumaca'),
  cue('flood_or_collapse', 'strong', 'alagando|entrando agua'),
  cue('dying', 'supporting', 'morrendo|acidente|bateu em nos|bateram'),
  cue('oxygen_out', 'supporting', '(?:cilindro|tanque|bala|oxigenio) (?:acabou|esta vazio|vazio)|sem oxigenio'),
];

/**
 * Which cues a message may match, and from where, from their anchor words: nine messages in ten
 * have no cue at all, and a look-up per word costs far less than trying every cue's alternatives
 * at every word.
 */
const CUE_ANCHORS = new CueAnchorIndex(RISK_CUES.map(({ source }) => source));

/** Below this blood-oxygen saturation a patient needs help now (clinical hypoxaemia threshold). */
const LOW_SATURATION = 90;
const SATURATION_READING = /\b(?:saturacion|saturando|satura|oximetro|oxigenacion|esta en|esta con|va en|marca|dice)(?: [a-z]+){0,3} ([0-9]{2})\b/g;
/** Words that cancel a cue right after them: "no hay heridos", "sin heridos", "nadie salió herido". */
const NEGATORS: ReadonlySet<string> = new Set([
  'no',
  'sin',
  'ni',
  'nadie',
  'ningun',
  'ninguno',
  'ninguna',
  'nunca',
  'jamas',
  'tampoco',
  'nao',
  'ninguem',
  'nenhum',
  'nobody',
  'not',
  'never',
  'without',
]);
const NEGATION_WINDOW = 3;

/**
 * Words after a breathing or dying cue that make it a figure of speech: "me estoy ahogando en
 * deudas", "me muero de la risa", "se me está quemando el arroz".
 */
const FIGURATIVE_OBJECTS =
  /^(?:en |con |de |por )?(?:las |los |la |el |tanta |tantas |tantos |tanto )?(?:deudas?|cuentas?|pagos?|cuotas?|intereses|trabajo|tramites?|papeleo|hambre|risa|sueno|ganas|calor|frio|aburrimiento|pena|verguenza|estres|arroz|comida|pizza|almuerzo|pan|carne)\b/;

/** Cues that already contain their own negation ("no puede respirar") are not cancelled by it. */
function startsWithNegation(phrase: string): boolean {
  return NEGATORS.has(phrase.split(' ', 1)[0]);
}

function isNegated(normalisedText: string, matchIndex: number): boolean {
  // The last words before the match, read backwards: a long message is not split for three words.
  let end = matchIndex;
  for (let seen = 0; seen < NEGATION_WINDOW && end > 0; seen += 1) {
    while (end > 0 && normalisedText[end - 1] === ' ') end -= 1;
    if (end === 0) break;
    const start = normalisedText.lastIndexOf(' ', end - 1) + 1;
    if (NEGATORS.has(normalisedText.slice(start, end))) return true;
    end = start;
  }
  return false;
}

function isFigurative(normalisedText: string, matchEnd: number): boolean {
  return FIGURATIVE_OBJECTS.test(normalisedText.slice(matchEnd).trimStart());
}

/** Every cue that matches the normalised text and is neither negated nor figurative. */
export function findRiskCues(normalisedText: string): RiskCueMatch[] {
  const matches = findCues(normalisedText, CUE_ANCHORS.scanWindows(normalisedText));
  const saturation = findLowSaturation(normalisedText);
  if (saturation) {
    // A reading is read in its context like any cue: "la semana pasada saturaba 80; eso ya pasó".
    const discount = discountOf(normalisedText, saturation.index, saturation.index + saturation.phrase.length);
    matches.push({ kind: 'breathing', strength: 'strong', phrase: saturation.phrase, ...(discount ? { discount } : {}) });
  }
  return matches;
}

/**
 * Per cue, its first match that is neither negated nor figurative and that its context does not
 * discount; failing that, its first discounted match (with the discount said).
 */
function findCues(normalisedText: string, windows: { starts: Int32Array; ends: Int32Array }): RiskCueMatch[] {
  const matches: RiskCueMatch[] = [];
  for (let index = 0; index < RISK_CUES.length; index += 1) {
    if (windows.starts[index] < 0) continue;
    const { kind, strength, pattern, personNamed, callForHelp } = RISK_CUES[index];
    // Cut at a word's end, the text matches as the whole does there (\b holds at both).
    const scanned = windows.ends[index] >= normalisedText.length ? normalisedText : normalisedText.slice(0, windows.ends[index]);
    pattern.lastIndex = windows.starts[index];
    let discounted: RiskCueMatch | undefined;
    for (let match = pattern.exec(scanned); match !== null; match = pattern.exec(scanned)) {
      const phrase = match[0];
      const end = match.index + phrase.length;
      const negated = !startsWithNegation(phrase) && isNegated(normalisedText, match.index);
      if (negated || isFigurative(normalisedText, end) || namesNoEvent(normalisedText, match.index, end)) continue;
      // A strong fire or flood cue about an object is property at risk; a supporting one ("humo")
      // about an object is what cars and fans do.
      const propertyAtRisk = strength === 'strong' && (kind === 'fire_or_gas' || kind === 'flood_or_collapse');
      const discount = discountOf(normalisedText, match.index, end, { personNamed, callForHelp, propertyAtRisk });
      if (!discount) {
        discounted = undefined;
        matches.push({ kind, strength, phrase });
        break;
      }
      discounted ??= { kind, strength, phrase, discount };
    }
    if (discounted) matches.push(discounted);
  }
  return matches;
}

/** "saturando 81", "tiene 84 de saturación", "el oxímetro marca 79": a reading below 90 %. */
function findLowSaturation(normalisedText: string): { phrase: string; index: number } | undefined {
  if (!/satura|oximetro|oxigen|respir|ahog|covid/.test(normalisedText)) return undefined;
  const readings = [
    ...normalisedText.matchAll(SATURATION_READING),
    // "tiene 84 de saturación": the number before the word.
    ...normalisedText.matchAll(/\b([0-9]{2}) (?:de |en |por ciento de )?(?:saturacion|oxigenacion)\b/g),
  ];
  for (const reading of readings) {
    const value = Number(reading[1]);
    if (value >= 40 && value < LOW_SATURATION) return { phrase: reading[0], index: reading.index ?? 0 };
  }
  return undefined;
}
