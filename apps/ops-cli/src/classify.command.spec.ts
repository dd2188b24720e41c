import { Classification, InteractionClassifier } from '@conmutador/classification';
import { classifyLine, parseInputLine } from './classify.command';

const answer: Classification = { sector: 'oxygen', intent: 'supply', emergency: false, confidence: 0.9, evidence: [] };

describe('parseInputLine', () => {
  it('takes text and the optional routing fields', () => {
    expect(parseInputLine('{"text":"hola","channel":"voice","entryPoint":"+57","ivrPath":["1","2"],"tenant":"t"}')).toEqual({
      id: undefined,
      input: { text: 'hola', channel: 'voice', entryPoint: '+57', ivrPath: ['1', '2'], tenant: 't' },
    });
  });

  it.each([
    ['', 'empty line'],
    ['{not json', 'invalid JSON'],
    ['[1,2]', 'JSON object'],
    ['{"channel":"voice"}', 'text:'],
    ['{"text":5}', 'text:'],
    ['{"text":"x","ivrPath":"1"}', 'ivrPath:'],
    ['{"text":"x","tenant":7}', 'tenant:'],
    ['{"text":"x","customer":"vip"}', 'customer:'],
  ])('reports %j as an error mentioning %s', (line, message) => {
    const parsed = parseInputLine(line);
    expect('error' in parsed && parsed.error).toContain(message);
  });
});

describe('classifyLine', () => {
  const classifier: InteractionClassifier = { classify: () => answer };

  it('writes the classification, echoing the id when given', () => {
    expect(JSON.parse(classifyLine(classifier, '{"id":"a-1","text":"oxígeno"}'))).toEqual({ id: 'a-1', ...answer });
  });

  it('writes an error line instead of failing on bad input', () => {
    expect(JSON.parse(classifyLine(classifier, 'garbage'))).toEqual({ error: expect.stringContaining('invalid JSON') });
  });

  it('writes an error line if the classifier throws', () => {
    const failing: InteractionClassifier = {
      classify: () => {
        throw new Error('boom');
      },
    };
    expect(JSON.parse(classifyLine(failing, '{"text":"x","id":3}'))).toEqual({ id: 3, error: 'classification failed: boom' });
  });
});
