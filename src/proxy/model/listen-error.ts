import { formatAddress } from './address.js';

/** Go's wording for the socket errors binding can hit. */
const SYSCALL_TEXT: Record<string, string> = {
  EADDRINUSE: 'bind: address already in use',
  EACCES: 'bind: permission denied',
  EADDRNOTAVAIL: 'bind: cannot assign requested address',
  EAFNOSUPPORT: 'socket: address family not supported by protocol',
  EINVAL: 'bind: invalid argument',
};

/** Turns a Node listen error into the text Go's net.Listen gives (`listen tcp 127.0.0.1:80: bind: ...`). */
export function listenErrorText(error: unknown, host: string, port: number): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') {
    return `listen tcp: lookup ${host}: no such host`;
  }
  const text = SYSCALL_TEXT[code] ?? (error instanceof Error ? error.message : String(error));
  return `listen tcp ${formatAddress(host, port)}: ${text}`;
}
