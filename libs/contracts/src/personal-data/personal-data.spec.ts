import { maskPersonalData, PERSONAL_DATA_MASKS } from './personal-data';

const { email, phone, id } = PERSONAL_DATA_MASKS;

describe('maskPersonalData', () => {
  it.each([
    ['E.164', 'llamar al +573001234567 hoy', `llamar al ${phone} hoy`],
    ['E.164 with spaces', 'tel: +57 300 123 4567.', `tel: ${phone}.`],
    ['E.164 with dashes and parentheses', '(+57) (300) 123-4567', `(${phone}`],
    ['another country', 'desde +1 212 555 0100', `desde ${phone}`],
    ['mobile, plain', 'mi número es 3001234567', `mi número es ${phone}`],
    ['mobile with spaces', 'mi número es 300 123 4567', `mi número es ${phone}`],
    ['mobile with dots', '300.123.4567', phone],
    ['mobile with dashes', '300-123-4567', phone],
    ['mobile in pairs', '300 123 45 67', phone],
    ['mobile 3 + 7', '300 1234567', phone],
    ['mobile with area in parentheses', '(300) 123 4567', phone],
    ['mobile after 57', '57 300 123 4567', phone],
    ['mobile after 0057', '0057 3001234567', phone],
    ['mobile glued to a label', 'cel3001234567', `cel${phone}`],
    ['landline', 'fijo 601 234 5678', `fijo ${phone}`],
    ['landline with area in parentheses', '(604) 444-4444', phone],
    ['landline, plain', '6012345678', phone],
    ['local seven digits', 'llame al 234 5678 o al 1-234-5678', `llame al ${phone} o al ${phone}`],
    ['cédula, plain', 'cédula 1023456789', `cédula ${id}`],
    ['cédula with thousands dots', 'C.C. 1.023.456.789', `C.C. ${id}`],
    ['older cédula with dots', 'cc 52.123.456', `cc ${id}`],
    ['cédula of six digits', 'documento: 123456', `documento: ${id}`],
    ['cédula glued to its label', 'CC1023456789 y C.C.1.023.456.789', `CC${id} y C.C.${id}`],
    ['NIT with check digit', 'NIT 900123456-7', `NIT ${id}`],
    ['e-mail', 'escribir a ana.gomez+pqr@correo.example.co.', `escribir a ${email}.`],
    ['e-mail with accents', 'josé.núñez@empresa.com.co', email],
    ['e-mail whose local part starts like a quantity', '5kb@example.co 10ms@x.io', `${email} ${email}`],
    ['e-mail in JSON text', '{"contact":"ana@example.com"}', `{"contact":"${email}"}`],
    ['several in a sentence', 'Ana (ana@x.co, 3001234567, CC 1023456789)', `Ana (${email}, ${phone}, CC ${id})`],
    ['after a newline', 'línea\n3001234567', `línea\n${phone}`],
    ['negative sign', '-1023456789', `-${id}`],
    ['JSON.parse error text', 'Unexpected token \'h\', "hola +573001234"... is not valid JSON', `Unexpected token 'h', "hola ${phone}"... is not valid JSON`],
  ])('masks %s', (_shape, text, expected) => {
    expect(maskPersonalData(text)).toBe(expected);
  });

  it.each([
    ['Kafka offset, labelled', 'commit failed at offset 1234567 of partition 3'],
    ['Kafka offset in JSON text', '{"offset":"1234567","partition":12}'],
    ['epoch milliseconds', 'time 1712345678901'],
    ['ISO date-time', '2026-04-14T15:04:05.123456789-05:00'],
    ['ISO date', 'since 2026-04-14'],
    ['duration with a unit', 'took 1500000 ms; timeout 3600000ms'],
    ['size with a unit', 'the record is 1048576 bytes; the limit is 65536 bytes'],
    ['UUID', 'evt-12345678-1234-4234-8234-123456789012'],
    ['UUID, other digits', '30012345-6789-4123-8123-300123456789'],
    ['interaction id', 'wa-5731-000981 and int-12-30012345'],
    ['identifier glued to letters', 'v1023456789 a1234567b run_1234567'],
    ['decimal number', 'confidence 0.3001234567, ratio 12.1234567'],
    ['port and broker address', 'connect ECONNREFUSED 127.0.0.1:19092 (10.20.30.40:9092)'],
    ['IPv4 with three-digit octets', 'broker 192.168.100.200'],
    ['small counts', '1,000 queued, 50 dead-lettered, 12345 records'],
    ['version', 'kafkajs 2.2.4, node v20.20.2'],
    ['money', 'saldo $1.500.000'],
    ['stack frame', 'at Object.<anonymous> (/work/dist/apps/router/src/main.js:1234:56)'],
    ['host name', 'conmutador-engine-7d9f8b6c5-x2x4z'],
    ['words only', 'offset commit failed; the next round retries'],
  ])('leaves %s alone', (_shape, text) => {
    expect(maskPersonalData(text)).toBe(text);
  });

  it('returns the very same string when there is nothing to mask', () => {
    const text = 'ruleset in force';
    expect(maskPersonalData(text)).toBe(text);
  });

  it('is idempotent: masked text masks to itself', () => {
    const once = maskPersonalData('ana@x.co 3001234567 1.023.456.789 +57 300 123 4567');
    expect(maskPersonalData(once)).toBe(once);
  });
});
