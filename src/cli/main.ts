#!/usr/bin/env node
/**
 * mcp-chaos command-line entry point. The composition root: the only place that prints, parses argv and
 * exits. Each command lives in `commands/<name>.ts` and exports `run(args: string[]): Promise<number>`,
 * returning the process exit code.
 */
import { EXIT } from './exit-codes.js';

const COMMANDS: Record<
  string,
  { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }
> = {
  run: {
    summary: 'run scenarios (files or folders) and write reports',
    load: () => import('./commands/run.js'),
  },
  validate: {
    summary: 'validate scenario files, printing every problem with file:line:column',
    load: () => import('./commands/validate.js'),
  },
  proxy: {
    summary: 'start the embedded Toxiproxy-compatible server',
    load: () => import('./commands/proxy.js'),
  },
  mock: { summary: 'start a mock MCP server', load: () => import('./commands/mock.js') },
  gateway: {
    summary: 'serve a fleet as one MCP endpoint, through the resilient manager',
    load: () => import('./commands/gateway.js'),
  },
  explore: {
    summary: 'explore random fault schedules and shrink counterexamples',
    load: () => import('./commands/explore.js'),
  },
  report: {
    summary: 're-render reports from a saved journal.json',
    load: () => import('./commands/report.js'),
  },
  schema: { summary: 'print the scenario JSON Schema', load: () => import('./commands/schema.js') },
  scorecard: {
    summary: 'run fixed failure modes against MCP gateways and proxies; one table',
    load: () => import('./commands/scorecard.js'),
  },
};

function usage(): string {
  const lines = ['usage: mcp-chaos <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', "Run `mcp-chaos <command> --help` for a command's options.");
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? EXIT.OK : EXIT.INVALID_INPUT;
  }
  if (name === '--version' || name === '-v') {
    const { readPackageVersion } = await import('./version.js');
    process.stdout.write(readPackageVersion() + '\n');
    return EXIT.OK;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`mcp-chaos: unknown command "${name}"\n\n${usage()}\n`);
    return EXIT.INVALID_INPUT;
  }
  const mod = await cmd.load();
  return mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(
      `mcp-chaos: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exitCode = EXIT.INFRASTRUCTURE;
  },
);
