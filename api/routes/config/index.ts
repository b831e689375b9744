import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { describeDeadline } from '../../../rules/deadline-descriptions';
import { INTERPRETATION_RULES, type Interpretations } from '../../../rules/interpretations';
import { MILESTONE_RULES, RULES_VERSION } from '../../../rules/milestones';
import { RulesConfig } from '../../../schemas/config';

/**
 * The running rule configuration: what new stays are registered with. The web app's deadline preview and texts
 * count with these values, never with defaults compiled into it.
 */
const configRoutes: FastifyPluginAsyncZod<{ interpretations: Interpretations }> = async (app, opts) => {
  app.addHook('onRequest', app.authenticate);
  const body: RulesConfig = {
    rulesVersion: RULES_VERSION,
    interpretations: opts.interpretations,
    interpretationRules: INTERPRETATION_RULES.map((r) => ({ ...r, value: opts.interpretations[r.key] })),
    milestones: MILESTONE_RULES.map((r) => ({
      key: r.key,
      section: r.section,
      deadline: describeDeadline(r, opts.interpretations),
    })),
  };

  app.get(
    '/rules',
    {
      schema: {
        summary: 'The running rule configuration: interpretations and deadlines',
        description: `Where Fellesskriv 3/2021 says "as soon as possible", "about" or "in good time", or is silent, the product reads a number; each is configurable by its environment variable. Running now: ${INTERPRETATION_RULES.map((r) => `${r.key} = ${opts.interpretations[r.key]} ${r.unit} (${r.env}, ${r.section})`).join('; ')}. A stay keeps the values it was registered with.`,
        tags: ['config'],
        response: { 200: RulesConfig },
      },
    },
    async () => body,
  );
};

export default configRoutes;
