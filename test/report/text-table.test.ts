// boxTable (report/text.ts) is what the CLI draws for uncoloured text instead of loading
// cli-table3: it must give cli-table3's text exactly, for the score table and for any table of
// printable ASCII cells with rows as long as the head (cli-table3 spans a short row's last cell).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Table from 'cli-table3';
import fc from '../helpers/fc.ts';
import { boxTable } from '../../src/report/text.ts';

const cliTable3 = (head: readonly string[], rows: readonly (readonly string[])[]): string => {
  const t = new Table({ head: [...head], style: { head: [], border: [] } });
  for (const r of rows) t.push([...r]);
  return t.toString();
};

test('boxTable: the score table as cli-table3 draws it', () => {
  const head = ['phase', 'score', 'grade', 'passed', 'failed', 'not evaluated'];
  const rows = [['services', '81.3', 'B', '2', '1', '0'], ['dns', '-', '-', '0', '0', '12'], ['overall', '100.0', 'A', '1234', '0', '0']];
  assert.equal(boxTable(head, rows), cliTable3(head, rows));
  assert.equal(boxTable(head, []), cliTable3(head, []));
});

test('boxTable: random tables of printable ASCII agree with cli-table3', () => {
  const text = fc.string({ unit: fc.constantFrom(...' abcXYZ019.-_/()%|'), maxLength: 14 });
  fc.assert(fc.property(fc.array(text, { minLength: 1, maxLength: 7 }).chain((head) => fc.tuple(
    fc.constant(head),
    fc.array(fc.array(text, { minLength: head.length, maxLength: head.length }), { maxLength: 6 }),
  )), ([head, rows]) => {
    assert.equal(boxTable(head, rows), cliTable3(head, rows));
  }), { numRuns: 300 });
});
