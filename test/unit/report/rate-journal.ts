/**
 * A journal made by the real statistics (`timeline`, `lanes`) from a synthetic history of `ratePerSec`
 * calls/s for 6 s (and a steady state before load): w[1] down from 2 s to 4 s and taking no calls then, a
 * process exit and a deploy step as markers. For chart tests at any rate.
 */
import { lanes, timeline } from '../../../src/chaos/stats/index.js';
import { HistoryBuilder } from '../chaos/invariants/history-builder.js';
import { makeJournal } from './fixture-journal.js';

export function rateJournal(ratePerSec: number) {
  const h = new HistoryBuilder({ servers: { w: 2 }, durationMs: 6000 });
  // the steady state before load: calls at negative times
  for (let t = -1000; t < 0; t += 1000 / ratePerSec) h.call({ t, endpoint: 'w[0]', latencyMs: 3 });
  for (let t = 0, i = 0; t < 6000; t += 1000 / ratePerSec, i++) {
    const onFaulted = i % 2 === 1 && !(t >= 2000 && t < 4000);
    h.call({ t, endpoint: onFaulted ? 'w[1]' : 'w[0]', latencyMs: 2 + (i % 7) });
  }
  h.fault({ name: 'down-1', endpoints: ['w[1]'], startT: 2000, endT: 4000, kind: 'down' });
  h.event({ type: 'connection', t: 2100, endpoint: 'w[1]', kind: 'process-exit', detail: 'signal SIGKILL' });
  h.event({ type: 'deploy', t: 4500, fault: 'up', server: 'w', action: 'start' });
  const history = h.build();
  return makeJournal({ timeline: timeline(history), lanes: lanes(history), history, faults: history.faults });
}
