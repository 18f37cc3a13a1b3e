/**
 * The client's options with their defaults filled in, checked once when the
 * client is made, so a bad host or MAJOR fails at once and not on first use.
 */

import { Hi6Error } from "../protocol/errors";
import { DEFAULT_MAX_LINE_BYTES } from "../protocol/framer";
import { validateHandshakePayload } from "../protocol/validate";
import { DEFAULT_BACKOFF } from "./backoff";
import type { BackoffOptions, ClientOptions } from "./types";

export interface Settings {
  host: string;
  port: number;
  major: number;
  reconnect: boolean;
  connectTimeoutMs: number;
  handshakeTimeoutMs: number;
  ackTimeoutMs: number;
  backoff: BackoffOptions;
  fatalRetryMs: number;
  stallTimeoutMs: (periodMs: number) => number;
  maxLineBytes: number;
  writeQueueBytes: number;
  keepAliveMs: number;
  takeDataLine: ((line: string, receivedAt: bigint) => boolean) | undefined;
}

export function settingsFrom(o: ClientOptions): Settings {
  const major = validateHandshakePayload({ major: o.major ?? 1 });
  if (!major.ok) throw new Hi6Error("invalid_config", `major: ${major.message}`);
  if (typeof o.host !== "string" || o.host.trim() === "") throw new Hi6Error("invalid_config", "host must not be empty");
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) throw new Hi6Error("invalid_config", `port must be 1..65535, not ${String(o.port)}`);
  return {
    host: o.host.trim(),
    port: o.port,
    major: major.value.major,
    reconnect: o.reconnect !== false,
    connectTimeoutMs: o.connectTimeoutMs ?? 5000,
    handshakeTimeoutMs: o.handshakeTimeoutMs ?? 3000,
    ackTimeoutMs: o.ackTimeoutMs ?? 2000,
    backoff: { ...DEFAULT_BACKOFF, ...o.backoff },
    fatalRetryMs: o.fatalRetryMs ?? 60_000,
    stallTimeoutMs: o.stallTimeoutMs ?? ((p) => Math.max(5000, 20 * p)),
    maxLineBytes: o.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    writeQueueBytes: o.writeQueueBytes ?? 1024 * 1024,
    keepAliveMs: o.keepAliveMs ?? 1000,
    takeDataLine: o.takeDataLine,
  };
}
