// --resolve (issue 20): an AAAA answer that is an IPv4-mapped address (::ffff:192.0.2.7) is not
// IPv6; dead names are bounded per name by what the docs say (timeout x tries) and all lookups
// together by a budget. Real UDP sockets on 127.0.0.1: a minimal responder and a silent one.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { resolveNames } from '../../src/load/resolve.ts';

/** Answers A with 192.0.2.7 and AAAA with ::ffff:192.0.2.7 (and, for "both.", also 2001:db8::7). */
const responder = createSocket('udp4');
responder.on('message', (q, rinfo) => {
  let i = 12;
  const labels: string[] = [];
  while (i < q.length && q[i] !== 0) {
    labels.push(q.subarray(i + 1, i + 1 + q[i]!).toString());
    i += q[i]! + 1;
  }
  const qtype = q.readUInt16BE(i + 1);
  const question = q.subarray(12, i + 5);
  const rr = (type: number, data: number[]): Buffer => Buffer.from([0xc0, 0x0c, 0, type, 0, 1, 0, 0, 0, 60, 0, data.length, ...data]);
  const answers: Buffer[] = [];
  if (qtype === 1) answers.push(rr(1, [192, 0, 2, 7]));
  if (qtype === 28) {
    answers.push(rr(28, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 7]));
    if (labels[0] === 'both') answers.push(rr(28, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7]));
  }
  const header = Buffer.from([q[0]!, q[1]!, 0x81, 0x80, 0, 1, 0, answers.length, 0, 0, 0, 0]);
  responder.send(Buffer.concat([header, question, ...answers]), rinfo.port, rinfo.address);
});
const silent = createSocket('udp4');
silent.on('message', () => undefined);
await Promise.all([responder, silent].map((s) => new Promise<void>((res) => s.bind(0, '127.0.0.1', () => res()))));
after(() => {
  responder.close();
  silent.close();
});

test('an IPv4-mapped AAAA answer does not count as IPv6', async () => {
  const got = await resolveNames(['mapped.example.com', 'both.example.com'], { server: `127.0.0.1:${responder.address().port}`, timeoutMs: 2000, tries: 1 });
  assert.deepEqual(got.get('mapped.example.com'), { A: ['192.0.2.7'], AAAA: [] });
  assert.deepEqual(got.get('both.example.com'), { A: ['192.0.2.7'], AAAA: ['2001:db8::7'] });
});

test('dead names: each bounded by timeout x tries, all of them by the budget', async () => {
  const names = Array.from({ length: 24 }, (_, i) => `dead${i}.example.com`);
  // 24 names, 2 at a time, 200 ms each: about 2.4 s of lookups against a 500 ms budget.
  const got = await resolveNames(names, { server: `127.0.0.1:${silent.address().port}`, timeoutMs: 100, tries: 2, concurrency: 2, budgetMs: 500 });
  assert.equal(got.size, names.length);
  for (const n of names) assert.match(got.get(n)!.error ?? '', /^timeout/, n);
  // The last names are never asked: the budget ran out before them (no timing assertion: a slower
  // machine only makes more names reach the budget).
  assert.match(got.get(names[names.length - 1]!)!.error!, /the 0\.5 s budget of --resolve ran out/);
});
