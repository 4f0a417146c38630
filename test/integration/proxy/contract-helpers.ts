import { expect } from 'vitest';
import type { RawAnswer } from './helpers.js';

export const REQUEST_ID = /^[0-9a-v]{20}$/;

/** An error answer of Toxiproxy's apiError: exact body, text/plain, nosniff, request id. */
export function expectApiError(answer: RawAnswer, status: number, error: string) {
  expect(answer.status).toBe(status);
  expect(answer.body).toBe(`${JSON.stringify({ error, status })}\n`);
  expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['x-toxiproxy-request-id']).toMatch(REQUEST_ID);
}

/** A JSON success (or populate error) answer: exact body, application/json, request id. */
export function expectJson(answer: RawAnswer, status: number, body: string) {
  expect(answer.status).toBe(status);
  expect(answer.body).toBe(body);
  expect(answer.headers['content-type']).toBe('application/json');
  expect(answer.headers['x-toxiproxy-request-id']).toMatch(REQUEST_ID);
}

/** The exact JSON of a proxy. */
export const proxyBody = (name: string, listen: string, up: string, enabled: boolean, toxics = '[]') =>
  `{"name":${JSON.stringify(name)},"listen":"${listen}","upstream":"${up}","enabled":${enabled},"Logger":{},"toxics":${toxics}}`;
