export { STALL_GUARD_DEFAULTS, type StallCheck, StallGuard, type StallGuardSettings } from './stall-guard.js';
