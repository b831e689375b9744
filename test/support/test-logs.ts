import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loggerOptions } from '../../config/logging';

/** Where every API the tests build writes its logs, with the production logger options (redaction included). */
export const TEST_LOG_DIR = join(process.cwd(), '.tmp', 'test-logs');

/**
 * Resident references the tests use look like `R-…`; 01017012345 is the fødselsnummer-shaped one they send; staff
 * contacts' e-mail addresses are at kontakt.test; a calendar feed's address carries its secret token.
 */
const PERSONAL = /\bR-[A-Z][A-Z0-9-]*\b|01017012345|[\w.+-]+@kontakt\.test|calendar\/feeds\/[A-Za-z0-9_-]{43}/g;

export function testLogger(name: string) {
  mkdirSync(TEST_LOG_DIR, { recursive: true });
  return {
    ...loggerOptions('debug', name),
    stream: createWriteStream(join(TEST_LOG_DIR, `${name}-${process.pid}-${Date.now()}.log`), { flags: 'a' }),
  };
}

export function clearTestLogs(): void {
  rmSync(TEST_LOG_DIR, { recursive: true, force: true });
}

/** Every personal value found in the logs of the whole run, with the file it is in. */
export function personalValuesInTestLogs(): string[] {
  if (!existsSync(TEST_LOG_DIR)) return [];
  const found: string[] = [];
  for (const file of readdirSync(TEST_LOG_DIR)) {
    for (const match of readFileSync(join(TEST_LOG_DIR, file), 'utf8').matchAll(PERSONAL))
      found.push(`${file}: ${match[0]}`);
  }
  return found;
}
