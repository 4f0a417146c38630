export {
  HealthChecker,
  type HealthCheckerDeps,
  type HealthProbe,
  healthDetectionBoundMs,
  healthRecoveryBoundMs,
  type ProbeExcused,
  type ProbeResult,
} from './health-checker.js';
export { HealthStateMachine, type HealthStateMachineDeps } from './health-state-machine.js';
export { type HealthTransition, isLegalHealthTransition } from './health-transition.js';
