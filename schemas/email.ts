import { z } from 'zod';

/**
 * An e-mail address, the one rule for every address the API takes (contacts, notification recipients, a login's
 * address): zod's address syntax, at most 254 characters, and the limits of RFC 5321 that its pattern leaves open — a
 * local part of at most 64 characters and domain labels of at most 63 — so that the API refuses what its OpenAPI
 * document's `format: email` refuses (the schemathesis fuzz step checks both agree) and what no mail server takes.
 */
export const emailAddress = (error: string) =>
  z
    .email({ error })
    .max(254, { error })
    .refine(
      (v) => {
        const [local = '', domain = ''] = v.split('@');
        return local.length <= 64 && domain.split('.').every((label) => label.length <= 63);
      },
      { error },
    );
