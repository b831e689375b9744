import { createHmac } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import nodemailer from 'nodemailer';
import type { Pool } from 'pg';
import type { NotificationConfig } from '../../config/notifications';
import { openStoredSecret } from '../../config/secret-box';
import { PRODUCTION_WEBHOOKS, postWebhook, WebhookRefused } from '../../config/webhook-target';
import type { Mail } from './templates';

export const NotificationFailure = { NoWebhook: 'NoWebhook', WebhookRefused: 'WebhookRefused' } as const;

/**
 * What an administrator sees of a failed webhook (last_error, the dispatcher's failure): the kind of failure, never
 * the receiver's status, address or port — an admin must not be able to probe the network through the webhook form.
 * The worker's log has the status for operators.
 */
export const WEBHOOK_ERRORS = {
  refused: (reason: string) => `the webhook address is refused: ${reason}`,
  notAccepted: 'the webhook did not accept the notification (not a 2xx answer)',
  unreachable: 'the webhook could not be reached',
} as const;

/** The Message-ID of a delivery: stable across retries and restarts, so that a receiver can drop a duplicate. */
export const messageIdOf = (deliveryId: string) => `<${deliveryId}@stay-transition>`;

/** The thread every notification about one deadline refers to (References), whatever its level. */
export const alarmThreadId = (alarmId: string) => `<alarm-${alarmId}@stay-transition>`;

/** `sha256=<hex HMAC-SHA256 of the raw body>`, the X-Signature header of a webhook call. */
export const webhookSignature = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** The two ways a notification leaves (e-mail, signed webhook), and how one delivery attempt is recorded. */
export type Channels = ReturnType<typeof createChannels>;

export function createChannels(pool: Pool, config: NotificationConfig) {
  const transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : undefined;

  /** Crash-test fault injection: the process dies between "sent" and "recorded", once. */
  const faultPoint = (deliveryId: string) => {
    const file = config.faultKillAfterSendFile;
    if (file && !existsSync(file)) {
      writeFileSync(file, deliveryId);
      process.kill(process.pid, 'SIGKILL');
    }
  };

  return {
    hasMail: transport !== undefined,
    faultPoint,

    /** One e-mail with its delivery id as Message-ID (and X-Delivery-Id), so that a receiver can drop a duplicate. */
    async mail(
      to: string,
      mail: Mail,
      deliveryId: string,
      thread?: { references: string[]; headers: Record<string, string> },
    ): Promise<void> {
      if (!transport) throw ApplicationFailure.create({ message: 'SMTP_URL is not set', nonRetryable: false });
      await transport.sendMail({
        from: config.mailFrom,
        to,
        subject: mail.subject,
        text: mail.text,
        messageId: messageIdOf(deliveryId),
        ...(thread ? { references: thread.references } : {}),
        headers: { 'X-Delivery-Id': deliveryId, ...thread?.headers },
      });
    },

    /** One signed call to the organisation's webhook, as it is configured now. */
    async webhook(orgId: string, deliveryId: string, payload: Record<string, unknown>): Promise<void> {
      const settings = await pool.query<{ webhook_url: string | null; webhook_secret: string | null }>(
        'SELECT webhook_url, webhook_secret FROM notification_settings WHERE org_id = $1',
        [orgId],
      );
      const hook = settings.rows[0];
      if (!hook?.webhook_url || !hook.webhook_secret) {
        throw ApplicationFailure.create({
          type: NotificationFailure.NoWebhook,
          message: `organisation ${orgId} has no webhook any more`,
          nonRetryable: true,
        });
      }
      const body = JSON.stringify(payload);
      let status: number;
      try {
        status = await postWebhook(hook.webhook_url, {
          headers: {
            'content-type': 'application/json',
            'x-signature': webhookSignature(openStoredSecret(hook.webhook_secret, config.secrets), body),
            'x-delivery-id': deliveryId,
          },
          body,
          policy: config.webhooks ?? PRODUCTION_WEBHOOKS,
          timeoutMs: 10_000,
        });
      } catch (err) {
        if (err instanceof WebhookRefused)
          throw ApplicationFailure.create({
            type: NotificationFailure.WebhookRefused,
            message: WEBHOOK_ERRORS.refused(err.message),
            nonRetryable: true,
          });
        log.warn('webhook unreachable', { deliveryId, code: (err as NodeJS.ErrnoException).code });
        throw new Error(WEBHOOK_ERRORS.unreachable);
      }
      if (status < 200 || status > 299) {
        log.warn('webhook did not accept', { deliveryId, status });
        throw new Error(WEBHOOK_ERRORS.notAccepted);
      }
    },

    /**
     * One attempt at an outbox row: a failed send counts the attempt and keeps its message (then throws, for the
     * activity's retry); a sent one is recorded as sent, once.
     */
    async sendAndRecord(deliveryId: string, send: () => Promise<void>): Promise<'sent'> {
      try {
        await send();
      } catch (err) {
        await pool.query('UPDATE notification_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
          deliveryId,
          (err as Error).message.slice(0, 500),
        ]);
        throw err;
      }
      faultPoint(deliveryId);
      await pool.query(
        `UPDATE notification_outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1 AND status <> 'sent'`,
        [deliveryId],
      );
      return 'sent';
    },
  };
}
