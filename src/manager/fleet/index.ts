export { type FleetAction, type FleetHost, LiveFleet, type RemoveOptions } from './live-fleet.js';
