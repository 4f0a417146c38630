export { type FleetAction, type FleetHost, LiveFleet, type RemoveOptions } from './live-fleet.js';
export { type ReloadResult, reloadFleet } from './reload.js';
