// `--streaming-protocol spdy|websocket|both`: which protocols the streaming specs run over. Each
// streaming spec registers one describe per protocol (`over SPDY/3.1`, `over WebSocket`); a protocol
// that is not chosen is deselected like a --skip pattern, so --list and the reports leave it out.
import { PROTOCOL_NAMES, STREAMING_PROTOCOLS, type StreamingProtocol } from './session.js';

/** The protocols for a flag value; undefined for a value that is not one of the choices. */
export function parseStreamingProtocol(text: string): StreamingProtocol[] | undefined {
  if (text === 'both') return [...STREAMING_PROTOCOLS];
  return (STREAMING_PROTOCOLS as readonly string[]).includes(text) ? [text as StreamingProtocol] : undefined;
}

/** The describe title of a protocol's variant of the streaming specs. */
export function protocolTitle(protocol: StreamingProtocol): string {
  return `over ${PROTOCOL_NAMES[protocol]}`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A skip pattern matching the variants of the protocols not chosen; undefined when all are. */
export function deselectedProtocols(chosen: readonly StreamingProtocol[]): RegExp | undefined {
  const left = STREAMING_PROTOCOLS.filter((p) => !chosen.includes(p));
  if (left.length === 0) return undefined;
  return new RegExp(`^Streaming .* (?:${left.map((p) => escape(protocolTitle(p))).join('|')}) `);
}
