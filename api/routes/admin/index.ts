import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { stayWorkflowId } from '../../../workflows/stay/definitions';
import type { Caller } from '../../plugins/app/auth';
import { forbidden, notFound } from '../../problem';
import {
  AccessLog,
  AccessLogPaging,
  RuleDiff,
  RuleDiffQuery,
  RuleDiffSummary,
  TemporalLink,
  WorkflowHistory,
} from '../../../schemas/admin';
import { StayParams } from '../../../schemas/stays';

/** Where a stay's workflow is shown in the Temporal Web UI (same layout for the dev server, self-hosted and Cloud). */
export const temporalUiLink = (ui: { baseUrl: string; namespace: string }, stayId: string): string =>
  `${ui.baseUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(ui.namespace)}/workflows/${encodeURIComponent(stayWorkflowId(stayId))}`;

const requireAdmin = (caller: Caller) => {
  if (caller.role !== 'admin') throw forbidden('Administrators only.');
};

/** What administrators inspect: the decoded Temporal history of a stay, and who read what (access log). */
const adminRoutes: FastifyPluginAsyncZod<{ temporalUi?: { baseUrl: string; namespace: string } }> = async (
  app,
  opts,
) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/stays/:id/workflow-history',
    {
      schema: {
        summary: "The stay's Temporal event history, decoded and summarised (admin only)",
        description:
          'Payloads are decoded server-side. `tasks=true` includes workflow-task bookkeeping events. `webUiUrl` opens the workflow in the Temporal Web UI (null when TEMPORAL_UI_URL is not set). Each read is recorded in the access log.',
        tags: ['admin'],
        params: StayParams,
        querystring: z.object({ tasks: z.enum(['true', 'false']).default('false') }),
        response: { 200: WorkflowHistory },
      },
    },
    async (req) => {
      requireAdmin(req.user);
      if (!(await app.stayReadModel.isVisible(req.params.id, {}))) throw notFound('No such stay.');
      await app.accessLog.record(req.user, req.params.id, 'workflow-history', req.id);
      return {
        workflowId: stayWorkflowId(req.params.id),
        webUiUrl: opts.temporalUi ? temporalUiLink(opts.temporalUi, req.params.id) : null,
        items: await app.workflowHistory.decoded(req.params.id, req.query.tasks === 'true'),
      };
    },
  );

  app.get(
    '/stays/:id/rule-diff',
    {
      schema: {
        summary: "Which of the stay's deadlines would differ under the current rules (admin only)",
        description:
          "The rule set the stay runs by (its rules version and the interpretations it was registered with) against the running configuration, or a proposed one: give any interpretation as a query parameter to judge a change before it is rolled out. Lists each deadline that would fall on another date, with its §; agreed deviations keep their dates. Computed by the workflow's own fold from the stay's records (a Temporal query, nothing is changed). Each read is recorded in the access log.",
        tags: ['admin'],
        params: StayParams,
        querystring: RuleDiffQuery,
        response: { 200: RuleDiff },
      },
    },
    async (req) => {
      requireAdmin(req.user);
      if (!(await app.stayReadModel.isVisible(req.params.id, {}))) throw notFound('No such stay.');
      await app.accessLog.record(req.user, req.params.id, 'rule-diff', req.id);
      return app.ruleDiff.forStay(req.params.id, req.query);
    },
  );

  app.get(
    '/rule-diff',
    {
      schema: {
        summary:
          'How many active stays would see which open deadlines move under the current or a proposed rule set (admin only)',
        description:
          'Across the active stays whose rules differ from the target (the running configuration, with any interpretation given as a query parameter in its place): per milestone, how many open deadlines would move, earlier or later, appear or disappear. Counts only; no stay is shown, so nothing is written to the access log.',
        tags: ['admin'],
        querystring: RuleDiffQuery,
        response: { 200: RuleDiffSummary },
      },
    },
    async (req) => {
      requireAdmin(req.user);
      return app.ruleDiff.summary(req.query);
    },
  );

  app.get(
    '/stays/:id/temporal-link',
    {
      schema: {
        summary: "Where the stay's workflow is in the Temporal Web UI (admin only)",
        description:
          'The workflow id and a link to it in the Temporal Web UI (`webUiUrl` is null when TEMPORAL_UI_URL is not set). Carries no personal data, so it is not an access-log entry.',
        tags: ['admin'],
        params: StayParams,
        response: { 200: TemporalLink },
      },
    },
    async (req) => {
      requireAdmin(req.user);
      if (!(await app.stayReadModel.isVisible(req.params.id, {}))) throw notFound('No such stay.');
      return {
        workflowId: stayWorkflowId(req.params.id),
        webUiUrl: opts.temporalUi ? temporalUiLink(opts.temporalUi, req.params.id) : null,
      };
    },
  );

  app.get(
    '/stays/:id/export',
    {
      schema: {
        summary:
          "One stay's full story for a case review or an access request (GDPR art. 15): JSON, or printable HTML (admin only)",
        description:
          'The stay with its milestones, the audit trail, the decoded Temporal history and the access log. The export is itself logged.',
        tags: ['admin'],
        params: StayParams,
        querystring: z.object({ format: z.enum(['json', 'html']).default('json') }),
      },
    },
    async (req, reply) => {
      requireAdmin(req.user);
      const stay = await app.stayReadModel.getStay(req.params.id, {});
      if (!stay) throw notFound('No such stay.');
      await app.accessLog.record(req.user, req.params.id, 'export', req.id);
      const [history, workflow, access] = await Promise.all([
        app.stayReadModel.history(req.params.id),
        app.workflowHistory.decoded(req.params.id, false),
        app.accessLog.forStay(req.params.id, 10_000, 0),
      ]);
      const exportedAt = new Date().toISOString();
      const filename = `opphold-${req.params.id}.${req.query.format}`;
      reply.header('content-disposition', `attachment; filename="${filename}"`);
      if (req.query.format === 'json') {
        return reply.type('application/json').send({
          exportedAt,
          exportedBy: req.user.sub,
          stay,
          history,
          workflowHistory: workflow.map(({ raw: _raw, ...e }) => e),
          accessLog: access,
        });
      }
      return reply
        .type('text/html; charset=utf-8')
        .send(renderExport({ exportedAt, exportedBy: req.user.sub, stay, history, workflow, access }));
    },
  );

  app.get(
    '/stays/:id/access-log',
    {
      schema: {
        summary: 'Every read of the stay: who, when, which view (admin only; this read is logged too)',
        tags: ['admin'],
        params: StayParams,
        querystring: z.object(AccessLogPaging),
        response: { 200: AccessLog },
      },
    },
    async (req) => {
      requireAdmin(req.user);
      if (!(await app.stayReadModel.isVisible(req.params.id, {}))) throw notFound('No such stay.');
      await app.accessLog.record(req.user, req.params.id, 'access-log', req.id);
      return { items: await app.accessLog.forStay(req.params.id, req.query.limit, req.query.offset) };
    },
  );

  app.get(
    '/access-log',
    {
      schema: {
        summary: "One user's reads of stays (admin only; this read is logged too)",
        tags: ['admin'],
        querystring: z.object({ userId: z.string().min(1).max(128), ...AccessLogPaging }),
        response: { 200: AccessLog },
      },
    },
    async (req) => {
      requireAdmin(req.user);
      await app.accessLog.record(req.user, null, 'user-access-log', req.id);
      return { items: await app.accessLog.forUser(req.query.userId, req.query.limit, req.query.offset) };
    },
  );
};

export default adminRoutes;

const esc = (v: unknown) =>
  String(v ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A printable page (Norwegian): print it to PDF from the browser for a case review or an access request. */
function renderExport(e: {
  exportedAt: string;
  exportedBy: string;
  stay: {
    id: string;
    residentRef: string;
    institutionId: string;
    bydelId: string;
    admittedAt: string;
    status: string;
    milestones: {
      key: string;
      title: string;
      section: string;
      dueDate: string | null;
      status: string;
      doneAt: string | null;
    }[];
  };
  history: {
    atOslo: string;
    actor: { role: string; org: string | null; sub: string | null };
    action: string;
    milestone: string | null;
    details: unknown;
  }[];
  workflow: { id: number; time: string | null; summary: string }[];
  access: { at: string; actor: { sub: string; role: string; org: string | null }; view: string }[];
}): string {
  const rows = (cells: unknown[][]) =>
    cells.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
  return `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Opphold ${esc(e.stay.id)}</title>
<style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse;width:100%;margin-bottom:2rem}td,th{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}</style></head><body>
<h1>Opphold ${esc(e.stay.id)}</h1>
<p>Beboerreferanse ${esc(e.stay.residentRef)} · institusjon ${esc(e.stay.institutionId)} · bydel ${esc(e.stay.bydelId)} · innskrevet ${esc(e.stay.admittedAt)} · status ${esc(e.stay.status)}</p>
<p>Eksportert ${esc(e.exportedAt)} av ${esc(e.exportedBy)}.</p>
<h2>Frister (Fellesskriv 3/2021)</h2>
<table><tr><th>Frist</th><th>§</th><th>Dato</th><th>Status</th><th>Utført</th></tr>${rows(e.stay.milestones.map((m) => [m.title, m.section, m.dueDate, m.status, m.doneAt]))}</table>
<h2>Logg over hendelser</h2>
<table><tr><th>Tid (Oslo)</th><th>Hvem</th><th>Hva</th><th>Frist</th><th>Detaljer</th></tr>${rows(e.history.map((h) => [h.atOslo, `${h.actor.role} ${h.actor.org ?? ''} ${h.actor.sub ?? ''}`, h.action, h.milestone, JSON.stringify(h.details ?? {})]))}</table>
<h2>Workflow-hendelser (Temporal)</h2>
<table><tr><th>#</th><th>Tid</th><th>Hendelse</th></tr>${rows(e.workflow.map((w) => [w.id, w.time, w.summary]))}</table>
<h2>Innsyn (hvem har lest opplysningene)</h2>
<table><tr><th>Tid</th><th>Hvem</th><th>Visning</th></tr>${rows(e.access.map((a) => [a.at, `${a.actor.role} ${a.actor.org ?? ''} ${a.actor.sub}`, a.view]))}</table>
</body></html>`;
}
