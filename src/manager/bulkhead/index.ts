export { Bulkhead, type BulkheadDeps, type Release } from './bulkhead.js';
