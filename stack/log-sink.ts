import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ChildProcess } from 'node:child_process';

const MEMORY_LIMIT = 64 * 1024;

/**
 * Where a server's own output goes: a log file (the child writes to the fd directly, so nothing is lost if we
 * are busy or die), or, without a file, a bounded in-memory tail. Either way it never reaches our stdout; the
 * tail is only shown when the server fails to start.
 */
export type LogSink = {
  /** The stdio entry to give the child for stdout and stderr. */
  readonly stdio: 'pipe' | number;
  /** Needed in memory mode, to drain the child's pipes. */
  attach(child: ChildProcess): void;
  write(text: string): void;
  tail(maxChars?: number): string;
  close(): void;
};

export function openLogSink(logFile?: string): LogSink {
  return logFile ? fileSink(logFile) : memorySink();
}

function fileSink(path: string): LogSink {
  mkdirSync(dirname(path), { recursive: true });
  let fd: number | undefined = openSync(path, 'a');
  return {
    stdio: fd,
    attach: () => {},
    write: (text) => {
      if (fd !== undefined) writeSync(fd, text.endsWith('\n') ? text : `${text}\n`);
    },
    tail: (maxChars = 4000) => {
      const readFd = openSync(path, 'r');
      try {
        const size = fstatSync(readFd).size;
        const length = Math.min(size, maxChars);
        const buf = Buffer.alloc(length);
        readSync(readFd, buf, 0, length, size - length);
        return buf.toString('utf8');
      } finally {
        closeSync(readFd);
      }
    },
    close: () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

function memorySink(): LogSink {
  let text = '';
  const append = (chunk: string) => {
    text += chunk;
    if (text.length > MEMORY_LIMIT) text = text.slice(-MEMORY_LIMIT / 2);
  };
  return {
    stdio: 'pipe',
    attach: (child) => {
      child.stdout?.setEncoding('utf8').on('data', append);
      child.stderr?.setEncoding('utf8').on('data', append);
    },
    write: (t) => append(t.endsWith('\n') ? t : `${t}\n`),
    tail: (maxChars = 4000) => text.slice(-maxChars),
    close: () => {},
  };
}

export function formatLogTail(tail: string): string {
  const trimmed = tail.trim();
  return trimmed ? `\n--- last log lines ---\n${trimmed}` : ' (no log output)';
}
