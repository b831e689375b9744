import { z } from 'zod';
import { INTERPRETATION_RULES, type InterpretationKey } from '../rules/interpretations';

/** The running rule configuration's wire format: the API documents and serves it, the web app types its call with it. */
export const Interpretations = z.object(
  Object.fromEntries(INTERPRETATION_RULES.map((r) => [r.key, z.number().int()])) as Record<
    InterpretationKey,
    z.ZodNumber
  >,
);

export const RulesConfig = z.object({
  rulesVersion: z.number().meta({ description: 'the rule set new stays are registered with (rules/milestones.ts)' }),
  interpretations: Interpretations.meta({
    description: 'the values new stays are registered with; a running stay keeps its own (the stay view shows them)',
  }),
  interpretationRules: z.array(
    z.object({
      key: z.string(),
      value: z.number(),
      default: z.number(),
      unit: z.enum(['days', 'months']),
      section: z
        .string()
        .meta({ description: 'the Fellesskriv section it interprets, or `product` where it is silent' }),
      textNb: z.string().nullable().meta({ description: "the text's own words" }),
      meaning: z.string(),
      env: z.string().meta({ description: 'the environment variable that sets it' }),
    }),
  ),
  milestones: z
    .array(z.object({ key: z.string(), section: z.string(), deadline: z.string() }))
    .meta({ description: 'each deadline in words, counted with these interpretations' }),
});

export type RulesConfig = z.infer<typeof RulesConfig>;
