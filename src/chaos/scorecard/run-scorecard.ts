/**
 * `runScorecard`: every failure mode against every system under test, one run at a time (they measure
 * timing), each pair's journal handed to `onRun` (for reports) and scored. A pair the validator refuses
 * (a mode a black-box SUT cannot take, such as a deploy) is `not-run` with the reason.
 */
import type { Journal } from '../journal.js';
import type { RunOptions } from '../run/index.js';
import { runScenario } from '../run/index.js';
import type { ScorecardMode, ScorecardSut } from './definitions.js';
import { pairScenario } from './definitions.js';
import { type ScoreCell, scoreOf } from './score.js';

export interface ScorecardOptions {
  run: Omit<RunOptions, 'file'>;
  onRun?: (journal: Journal, cell: ScoreCell) => Promise<void> | void;
  onStart?: (sut: string, mode: string) => void;
}

export async function runScorecard(
  suts: readonly ScorecardSut[],
  modes: readonly ScorecardMode[],
  o: ScorecardOptions,
): Promise<ScoreCell[]> {
  const cells: ScoreCell[] = [];
  for (const sut of suts) {
    for (const mode of modes) {
      if (o.run.signal?.aborted) return cells;
      const pair = pairScenario(mode, sut);
      if ('problems' in pair) {
        const cell: ScoreCell = {
          sut: sut.name,
          mode: mode.name,
          status: 'not-run',
          notes: pair.problems.map((p) => p.message),
        };
        cells.push(cell);
        continue;
      }
      o.onStart?.(sut.name, mode.name);
      const journal = await runScenario(pair.scenario, { ...o.run, file: mode.file });
      const cell = scoreOf(journal, sut.name, mode.name);
      cells.push(cell);
      await o.onRun?.(journal, cell);
    }
  }
  return cells;
}
