// Placeholder until the 'explore' command lands; replaced by its implementation.
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('mcp-chaos explore: not available in this build yet\n');
  return 3;
}
