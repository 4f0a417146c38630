import { ChaosError } from '../../core/index.js';

/** An error the API answers with `{"error": message, "status": status}` (Toxiproxy's ApiError). */
export class ToxiproxyApiError extends ChaosError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super('PROXY_API', message, { details: { status } });
    this.name = 'ToxiproxyApiError';
  }
}

/** The real server's error texts and statuses. */
export const apiErrors = {
  badRequestBody: (why: string) => new ToxiproxyApiError(`bad request body: ${why}`, 400),
  missingField: (what: string) => new ToxiproxyApiError(`missing required field: ${what}`, 400),
  proxyExists: () => new ToxiproxyApiError('proxy already exists', 409),
  proxyNotFound: () => new ToxiproxyApiError('proxy not found', 404),
  invalidStream: () => new ToxiproxyApiError('stream was invalid, can be either upstream or downstream', 400),
  invalidToxicType: () => new ToxiproxyApiError('invalid toxic type', 400),
  toxicExists: () => new ToxiproxyApiError('toxic already exists', 409),
  toxicNotFound: () => new ToxiproxyApiError('toxic not found', 404),
  /** Our deliberate differences: values the real server crashes or stalls on. */
  invalidValue: (why: string) => new ToxiproxyApiError(why, 400),
  /** Anything else (bind errors pass through like this). */
  internal: (why: string) => new ToxiproxyApiError(why, 500),
};
