import { describe, expect, it } from 'vitest';
import { parseMockArgs } from '../../../src/cli/commands/mock.js';
import {
  type MockServerSpec,
  mockServerCommand,
  mockServerFlags,
  parseMockReadyLine,
} from '../../../src/mock/index.js';

const specs: MockServerSpec[] = [
  {},
  { transport: 'stdio' },
  { session: 'stateless', response: 'json', port: 4000, host: '127.0.0.1', path: '/x' },
  { latency: { fixedMs: 2 }, errorRate: 0.1, seed: 9, name: 'alpha' },
  { latency: { p50Ms: 5, p99Ms: 50 }, hang: true, crashAfterCalls: 3, answerPing: false, maxSessions: 4 },
];

describe('mock flags', () => {
  it.each(specs)('round-trips %j through mockServerFlags → parseMockArgs', (spec) => {
    expect(parseMockArgs(mockServerFlags(spec))).toEqual(spec);
  });

  it('accepts --flag=value and the documented spellings', () => {
    expect(parseMockArgs(['--port=0', '--latency', '1.5s', '--crash-after', '0', '--no-ping'])).toEqual({
      port: 0,
      latency: { fixedMs: 1500 },
      crashAfterCalls: 0,
      answerPing: false,
    });
    expect(parseMockArgs(['--help'])).toBe('help');
  });

  it.each([
    [['--bogus'], 'unknown option'],
    [['--port'], 'needs a value'],
    [['--port', 'x'], '"x"'],
    [['--port', '99999'], '99999'],
    [['--latency', '5'], '"5"'],
    [['--latency-p50', '5ms'], 'go together'],
    [['--latency', '1ms', '--latency-p50', '1ms', '--latency-p99', '2ms'], 'not both'],
    [['--error-rate', '2'], '2'],
    [['--transport', 'ws'], '"ws"'],
    [['--hang=yes'], 'takes no value'],
  ])('rejects %j', (args, message) => {
    expect(() => parseMockArgs(args)).toThrow(RangeError);
    expect(() => parseMockArgs(args)).toThrow(message);
  });

  it('mockServerCommand runs the TypeScript entry through tsx when running from sources', () => {
    const argv = mockServerCommand({ transport: 'stdio', seed: 3 });
    expect(argv[0]).toBe(process.execPath);
    expect(argv[1]).toBe('--import');
    expect(argv[2]).toMatch(/^file:\/\/.*tsx/);
    expect(argv[3]).toMatch(/\/src\/cli\/main\.ts$/);
    expect(argv.slice(4)).toEqual(['mock', '--transport', 'stdio', '--seed', '3']);
    expect(() => mockServerCommand({ errorRate: -1 })).toThrow(RangeError);
  });

  it('parses the ready line', () => {
    expect(parseMockReadyLine('mock MCP server listening on http://127.0.0.1:4321/mcp\n')).toEqual({
      url: 'http://127.0.0.1:4321/mcp',
      port: 4321,
    });
    expect(parseMockReadyLine('something else')).toBeUndefined();
  });
});
