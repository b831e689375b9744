import { z } from 'zod';
import type { SecretBox } from './secret-box';
import type { WebhookPolicy } from './webhook-target';

const Env = z.object({
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default('Oppholdsløpet <varsel@oppholdslopet.oslo.kommune.no>'),
  APP_BASE_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().default(3000),
  /** Fault injection for the crash test: once (while this file does not exist) kill the process right after sending. */
  NOTIFY_FAULT_KILL_AFTER_SEND: z.string().min(1).optional(),
});

export type NotificationConfig = {
  /** unset: e-mail rows stay pending (logged), webhooks are still delivered */
  smtpUrl?: string;
  mailFrom: string;
  /** links in notifications point at `${appBaseUrl}/opphold/<stay id>` */
  appBaseUrl: string;
  faultKillAfterSendFile?: string;
  /** Opens webhook signing secrets stored sealed (config/secret-box.ts); the API's ring. */
  secrets?: SecretBox;
  /** Where webhooks may go (config/webhook-target.ts); default: public https addresses only. */
  webhooks?: WebhookPolicy;
};

export function loadNotificationConfig(env: NodeJS.ProcessEnv = process.env): NotificationConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `Invalid notification configuration:\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`,
    );
  }
  const e = parsed.data;
  return {
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    appBaseUrl: (e.APP_BASE_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, ''),
    faultKillAfterSendFile: e.NOTIFY_FAULT_KILL_AFTER_SEND,
  };
}
