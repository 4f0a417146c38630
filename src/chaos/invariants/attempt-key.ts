/** A numeric key of one attempt of one call (attempt numbers stay far below 4096). */
export function attemptKey(callId: number, attempt: number): number {
  return callId * 4096 + attempt;
}
