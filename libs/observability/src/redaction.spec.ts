import pino from 'pino';
import { Writable } from 'node:stream';
import { REDACTED_PATHS, REDACTION_CENSOR } from './redaction';

function logOnce(payload: object): string {
  let output = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  pino({ redact: { paths: REDACTED_PATHS, censor: REDACTION_CENSOR } }, sink).info(payload, 'event');
  return output;
}

describe('log redaction', () => {
  it('hides phone numbers, customer ids and free text at any usual depth', () => {
    const line = logOnce({
      text: 'me llamo Ana, mi cédula es 1020304050',
      event: { text: 'hola', customer: { id: 'C-99', phone: '+573105550101', region: 'medellin' } },
      customerId: 'C-77',
    });
    expect(line).not.toContain('1020304050');
    expect(line).not.toContain('+573105550101');
    expect(line).not.toContain('C-99');
    expect(line).not.toContain('C-77');
    expect(line).toContain('medellin');
    expect(JSON.parse(line).event.customer.phone).toBe(REDACTION_CENSOR);
  });
});
