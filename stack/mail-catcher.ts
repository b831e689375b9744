import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type MailCatcher = { smtpUrl: string; webUrl: string; stop(): Promise<void> };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The embedded default's mail catcher: an SMTP server that accepts every message and keeps it as an .eml file
 * under `dir`, plus a small page listing what was received, so that a person can read what the engine sent.
 * Development only: no authentication, listens on 127.0.0.1.
 */
export async function startMailCatcher(opts: {
  dir: string;
  smtpPort: number;
  webPort: number;
  host?: string;
}): Promise<MailCatcher> {
  const host = opts.host ?? '127.0.0.1';
  mkdirSync(opts.dir, { recursive: true });
  let seq = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'stay-transition mail catcher',
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        seq += 1;
        writeFileSync(join(opts.dir, `${Date.now()}-${String(seq).padStart(6, '0')}.eml`), Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(opts.smtpPort, host, () => resolve());
  });
  // After start-up, a sender that drops its connection (a worker killed mid-send) must not crash the supervisor.
  smtp.removeAllListeners('error');
  smtp.on('error', () => {});

  const web: Server = createServer((req, res) => {
    void (async () => {
      const files = readdirSync(opts.dir)
        .filter((f) => f.endsWith('.eml'))
        .sort()
        .reverse()
        .slice(0, 200);
      const mails = await Promise.all(
        files.map(async (f) => ({ f, m: await simpleParser(readFileSync(join(opts.dir, f))) })),
      );
      if (req.url === '/mails.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            mails.map(({ f, m }) => ({
              file: f,
              messageId: m.messageId,
              to: m.to && 'text' in m.to ? m.to.text : '',
              subject: m.subject,
              date: m.date,
              text: m.text,
            })),
          ),
        );
        return;
      }
      const rows = mails
        .map(({ m }) => {
          const to = m.to && 'text' in m.to ? m.to.text : '';
          return `<article><h2>${escapeHtml(m.subject ?? '')}</h2><p>Til: ${escapeHtml(to)} · ${escapeHtml(m.date?.toISOString() ?? '')} · Message-ID: ${escapeHtml(m.messageId ?? '')}</p><pre>${escapeHtml(m.text ?? '')}</pre></article>`;
        })
        .join('\n');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html lang="nb"><meta charset="utf-8"><title>Sendt e-post (${mails.length})</title>` +
          `<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}article{border-bottom:1px solid #ccc}pre{white-space:pre-wrap}</style>` +
          `<h1>E-post sendt av Oppholdsløpet (${mails.length}, nyeste først)</h1>${rows || '<p>Ingen e-post ennå.</p>'}</html>`,
      );
    })().catch(() => {
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    web.once('error', reject);
    web.listen(opts.webPort, host, () => resolve());
  });

  return {
    smtpUrl: `smtp://${host}:${opts.smtpPort}`,
    webUrl: `http://${host}:${opts.webPort}`,
    stop: async () => {
      await new Promise<void>((resolve) => web.close(() => resolve()));
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}
