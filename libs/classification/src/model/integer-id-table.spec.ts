import { IntegerIdTable, NO_ID } from './integer-id-table';

describe('IntegerIdTable', () => {
  it('finds every key it was given and no other', () => {
    const entries: [number, number][] = [];
    for (let id = 0; id < 5000; id += 1) entries.push([id * 7919 + (id % 3) * 2 ** 40, id]);
    const table = new IntegerIdTable(entries, entries.length);
    for (const [key, id] of entries) expect(table.idOf(key)).toBe(id);
    for (const missing of [1, 2, 7918, 2 ** 40 + 1, 2 ** 52]) expect(table.idOf(missing)).toBe(NO_ID);
  });

  it('answers NO_ID when empty', () => {
    expect(new IntegerIdTable([], 0).idOf(0)).toBe(NO_ID);
  });

  it('refuses keys it cannot store exactly', () => {
    expect(() => new IntegerIdTable([[-1, 0]], 1)).toThrow(RangeError);
    expect(() => new IntegerIdTable([[0.5, 0]], 1)).toThrow(RangeError);
  });
});
