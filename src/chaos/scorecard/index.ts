export {
  type Loaded,
  loadModes,
  loadSuts,
  pairScenario,
  type ScorecardMode,
  type ScorecardSut,
} from './definitions.js';
export { runScorecard, type ScorecardOptions } from './run-scorecard.js';
export { type ScoreCell, scoreOf } from './score.js';
