import { describe, expect, it } from 'vitest';
import type { History } from '../../../../src/chaos/history.js';
import { checkInvariant } from '../../../../src/chaos/invariants/index.js';
import { CALL_META_KEY } from '../../../../src/mock/index.js';
import { HistoryBuilder } from './history-builder.js';

/** Stamps every call-start with its logical id (as the load does) and adds the given executions. */
function withLog(
  h: HistoryBuilder,
  executions: Array<[endpoint: string, callId: number]> | undefined,
): History {
  const history = h.build();
  for (const e of history.events) if (e.type === 'call-start') e.meta = { [CALL_META_KEY]: String(e.callId) };
  if (executions) {
    history.executions = executions.map(([endpoint, callId], i) => ({
      endpoint,
      tool: 'echo',
      call: String(callId),
      t: 100 + i,
    }));
  }
  return history;
}

describe('at-most-once', () => {
  it('flags a non-idempotent call executed twice; an idempotent one may run twice', () => {
    const h = new HistoryBuilder();
    const once = h.call({ t: 100, idempotent: false });
    const twice = h.call({
      t: 200,
      idempotent: false,
      attempts: [{ outcome: 'timeout' }, { endpoint: 's[1]' }],
    });
    const idem = h.call({ t: 300, idempotent: true });
    const ok = withLog(h, [
      ['s[0]', once],
      ['s[0]', twice],
      ['s[0]', idem],
      ['s[1]', idem],
    ]);
    expect(checkInvariant('at-most-once', {}, ok)).toMatchObject({ held: true });
    const bad = withLog(h, [
      ['s[0]', once],
      ['s[0]', twice],
      ['s[1]', twice],
    ]);
    const r = checkInvariant('at-most-once', {}, bad);
    expect(r.violationCount).toBe(1);
    expect(r.violations[0]?.message).toMatch(
      new RegExp(
        `call ${twice} \\(echo, not idempotent\\) was executed 2 times: s\\[0\\] at .*, s\\[1\\] at`,
      ),
    );
  });

  it('cannot judge without execution logs, or when no execution carries a call id — and then does not pass', () => {
    const h = new HistoryBuilder();
    h.call({ t: 100, idempotent: false });
    const none = checkInvariant('at-most-once', {}, withLog(h, undefined));
    expect(none).toMatchObject({
      held: false,
      summary: expect.stringMatching(/^not judgeable: not every replica keeps/),
    });
    const stripped = withLog(h, []);
    stripped.executions = [{ endpoint: 's[0]', tool: 'echo', t: 120 }];
    expect(checkInvariant('acknowledged-executed', {}, stripped)).toMatchObject({
      held: false,
      summary: expect.stringMatching(/carry no logical call id/),
    });
  });
});

describe('acknowledged-executed', () => {
  it('flags a successful call no replica executed; failed calls need no execution', () => {
    const h = new HistoryBuilder();
    const a = h.call({ t: 100 });
    const b = h.call({ t: 200 });
    h.call({ t: 300, outcome: 'timeout' });
    expect(
      checkInvariant(
        'acknowledged-executed',
        {},
        withLog(h, [
          ['s[0]', a],
          ['s[1]', b],
        ]),
      ).held,
    ).toBe(true);
    const r = checkInvariant('acknowledged-executed', {}, withLog(h, [['s[0]', a]]));
    expect(r.violationCount).toBe(1);
    expect(r.violations[0]?.message).toMatch(
      new RegExp(`call ${b} \\(echo\\) was reported successful by s\\[0\\] but no replica executed it`),
    );
  });

  it('fails as vacuous when it had nothing to judge, unless allowed', () => {
    const h = new HistoryBuilder();
    h.call({ t: 100, idempotent: true, outcome: 'timeout' });
    const history = withLog(h, []);
    const once = checkInvariant('at-most-once', {}, history);
    expect(once.held).toBe(false);
    expect(once.summary).toBe(
      'vacuous: nothing judged: the load sent no call that may not be repeated — nothing was checked (allowVacuous: true accepts that)',
    );
    const acked = checkInvariant('acknowledged-executed', {}, history);
    expect(acked.held).toBe(false);
    expect(acked.summary).toMatch(/^vacuous: nothing judged: no call was reported successful/);
    const allowed = checkInvariant('at-most-once', { allowVacuous: true }, history);
    expect(allowed).toMatchObject({
      held: true,
      summary: 'nothing judged: the load sent no call that may not be repeated',
    });
  });
});
