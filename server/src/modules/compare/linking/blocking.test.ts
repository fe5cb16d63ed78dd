import { describe, expect, it } from 'vitest';
import { blockRecords, soundex, type BlockingPass } from './index.ts';

interface Person {
  id: string;
  surname: string;
  birth: string;
  postcode: string;
}

const passes: BlockingPass<Person>[] = [
  { name: 'birth+soundex', key: (person) => (person.birth ? `${person.birth}|${soundex(person.surname)}` : null) },
  { name: 'postcode', key: (person) => person.postcode || null },
];

describe('multi-pass blocking', () => {
  it('finds by a second key a pair whose first key was broken, and unites the passes without duplicates', () => {
    const left: Person[] = [
      { id: 'a', surname: 'smith', birth: '19500301', postcode: '2000' },
      { id: 'b', surname: 'jones', birth: '19610101', postcode: '3000' },
    ];
    const right: Person[] = [
      { id: 'a', surname: 'smyth', birth: '19500301', postcode: '2000' }, // both keys agree
      { id: 'b', surname: 'jones', birth: '19610110', postcode: '3000' }, // birth mistyped: found by postcode
      { id: 'x', surname: 'brown', birth: '19700101', postcode: '4000' },
    ];
    const { pairs } = blockRecords(left, right, passes);
    expect(pairs.map((pair) => [left[pair.left]!.id, right[pair.right]!.id, pair.passes])).toEqual([
      ['a', 'a', ['birth+soundex', 'postcode']],
      ['b', 'b', ['postcode']],
    ]);
  });

  it('keeps records with an empty key out of that pass only', () => {
    const left: Person[] = [{ id: 'a', surname: 'smith', birth: '', postcode: '2000' }];
    const right: Person[] = [{ id: 'a', surname: 'smith', birth: '', postcode: '2000' }];
    expect(blockRecords(left, right, passes).pairs.map((pair) => pair.passes)).toEqual([['postcode']]);
  });

  it('skips and reports a block that would produce more pairs than the cap', () => {
    const crowd = Array.from({ length: 30 }, (_, index): Person => ({ id: String(index), surname: `s${index}`, birth: `1950030${index % 9}`, postcode: '2000' }));
    const { pairs, skippedBlocks } = blockRecords(crowd, crowd, passes, { maxPairsPerBlock: 100 });
    expect(skippedBlocks).toEqual([{ pass: 'postcode', key: '2000', pairs: 900 }]);
    expect(pairs.every((pair) => pair.passes.includes('birth+soundex'))).toBe(true);
    expect(pairs.length).toBeGreaterThan(0);
  });
});
