import { createServer, type IncomingHttpHeaders } from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = {
  to: string[];
  messageId: string;
  deliveryId: string;
  subject: string;
  text: string;
  references: string[];
};

/** A real SMTP server on a free port that keeps every message it accepts. */
export async function startSmtpReceiver() {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((m) => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            messageId: m.messageId ?? '',
            deliveryId: String(m.headers.get('x-delivery-id') ?? ''),
            subject: m.subject ?? '',
            text: m.text ?? '',
            references: [m.references ?? []].flat(),
          });
          callback();
        })
        .catch(callback);
    },
  });
  // A sender killed mid-session (the crash tests do that on purpose) resets its connection: not an error of ours.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type ReceivedCall = { headers: IncomingHttpHeaders; body: string; json: Record<string, unknown> };

/** A real HTTP receiver; `respond` decides the status of each call (default 204). */
export async function startWebhookReceiver(respond: (call: ReceivedCall, n: number) => number = () => 204) {
  const calls: ReceivedCall[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        res.writeHead(400).end(); // a cut-off body from a sender that was killed
        return;
      }
      const call = { headers: req.headers, body, json };
      calls.push(call);
      res.writeHead(respond(call, calls.length)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
