import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool } from 'pg';
import { isEncrypted } from '../../../config/payload-codec';
import type { WorkflowEvent } from '../../../schemas/admin';
import { stayWorkflowId } from '../../../workflows/stay/definitions';
import { HttpProblem } from '../../problem';

// @temporalio/proto is CommonJS: a default import works under Node's ESM loader, a named one does not.
const { temporal } = proto;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

const decode = (payloads?: { payloads?: Payload[] | null } | null): unknown[] =>
  (payloads?.payloads ?? []).map((p) => {
    try {
      return defaultPayloadConverter.fromPayload(p);
    } catch {
      return '[undecodable payload]';
    }
  });

const eventTypeName = (e: HistoryEvent) =>
  (temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? 'UNKNOWN')
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replaceAll('_', '-');

const seconds = (d?: { seconds?: unknown } | null) =>
  Number((d?.seconds as number | { toNumber(): number } | undefined)?.toString() ?? 0);

const timeOf = (e: HistoryEvent) =>
  e.eventTime ? new Date(seconds(e.eventTime) * 1000 + Math.floor((e.eventTime.nanos ?? 0) / 1e6)).toISOString() : null;

/** One line per event, so an administrator can read a stay's story in the workflow's own terms. */
function summarise(e: HistoryEvent): { summary: string; data: unknown } {
  const a = e;
  if (a.workflowExecutionStartedEventAttributes) {
    const [input] = decode(a.workflowExecutionStartedEventAttributes.input) as [
      { register?: { admittedAt: string }; continued?: unknown },
    ];
    return input?.register
      ? { summary: `Stay workflow started: registered with admission ${input.register.admittedAt}`, data: input }
      : { summary: 'Stay workflow continued from a snapshot (continue-as-new)', data: input };
  }
  if (a.workflowExecutionUpdateAcceptedEventAttributes) {
    const req = a.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
    const name = req?.input?.name ?? '?';
    const [arg] = decode(req?.input?.args) as [Record<string, unknown> | undefined];
    const what =
      arg && 'key' in arg
        ? ` for "${String(arg.key)}" on ${String(arg.doneAt)}`
        : arg && 'event' in arg
          ? `: ${JSON.stringify((arg.event as { type: string }).type)}`
          : '';
    const who = (arg?.actor as { role?: string; org?: string } | undefined) ?? {};
    return {
      summary: `Update "${name}" accepted${what} (by ${who.role ?? '?'}${who.org ? ` ${who.org}` : ''})`,
      data: arg,
    };
  }
  if (a.workflowExecutionUpdateCompletedEventAttributes)
    return {
      summary: 'Update answered',
      data: decode(a.workflowExecutionUpdateCompletedEventAttributes.outcome?.success),
    };
  if (a.timerStartedEventAttributes) {
    const t = a.timerStartedEventAttributes;
    const fireAt = e.eventTime
      ? new Date(Date.parse(timeOf(e)!) + seconds(t.startToFireTimeout) * 1000).toISOString()
      : null;
    return { summary: `Timer ${t.timerId} started: next deadline check at ${fireAt}`, data: null };
  }
  if (a.timerFiredEventAttributes)
    return { summary: `Timer ${a.timerFiredEventAttributes.timerId} fired: deadlines checked`, data: null };
  if (a.timerCanceledEventAttributes)
    return { summary: 'Timer cancelled (something changed before it fired)', data: null };
  if (a.activityTaskScheduledEventAttributes) {
    const s = a.activityTaskScheduledEventAttributes;
    const [sync] = decode(s.input) as [
      { stay?: { revision: number }; escalations?: { milestone: string; kind: string; dueDate: string }[] } | undefined,
    ];
    const esc = sync?.escalations?.map((x) => `${x.kind} ${x.milestone} (due ${x.dueDate})`).join(', ');
    return {
      summary: `Activity ${s.activityType?.name}: read model to revision ${sync?.stay?.revision ?? '?'}${esc ? `; escalations: ${esc}` : ''}`,
      data: sync,
    };
  }
  if (a.activityTaskCompletedEventAttributes) return { summary: 'Activity completed', data: null };
  if (a.activityTaskFailedEventAttributes)
    return {
      summary: `Activity attempt failed: ${a.activityTaskFailedEventAttributes.failure?.message ?? ''}`,
      data: null,
    };
  if (a.markerRecordedEventAttributes) {
    const marker = a.markerRecordedEventAttributes;
    const details = marker.details ?? {};
    // A local activity leaves a marker instead of activity events; its input is not kept in history.
    if (marker.markerName === 'core_local_activity') {
      const [data] = (details.data ? decode(details.data) : []) as [
        { activityType?: string; activity_type?: string } | undefined,
      ];
      const failed = marker.failure ? `: attempt failed: ${marker.failure.message ?? ''}` : '';
      return {
        summary: `Local activity ${data?.activityType ?? data?.activity_type ?? '?'}: read model written in the same workflow task${failed}`,
        data: data ?? null,
      };
    }
    const patch =
      (details.patch_data ?? details['patch-data']) ? decode(details.patch_data ?? details['patch-data']) : [];
    const id = (patch[0] as { id?: string } | undefined)?.id;
    if (marker.markerName === 'core_patch')
      return {
        summary:
          id === 'started-v6'
            ? `Version marker ${id} (started by the sixth release or later: the stay takes the code path of every release up to it)`
            : `Version marker${id ? ` ${id}` : ''} (the stay takes that release's code path)`,
        data: patch,
      };
    return {
      summary: `Marker ${marker.markerName}${patch.length ? `: ${JSON.stringify(patch[0])}` : ''}`,
      data: patch,
    };
  }
  if (a.upsertWorkflowSearchAttributesEventAttributes)
    return { summary: 'Version markers listed for the server (no personal data)', data: null };
  if (a.workflowExecutionCompletedEventAttributes) return { summary: 'Stay workflow completed', data: null };
  if (a.workflowExecutionContinuedAsNewEventAttributes)
    return { summary: 'Continued as new (history kept short)', data: null };
  if (a.workflowExecutionTerminatedEventAttributes)
    return { summary: `Terminated: ${a.workflowExecutionTerminatedEventAttributes.reason ?? ''}`, data: null };
  if (a.workflowTaskFailedEventAttributes)
    return {
      summary: `Workflow task failed: ${a.workflowTaskFailedEventAttributes.failure?.message ?? ''}`,
      data: null,
    };
  return { summary: eventTypeName(e).replaceAll('-', ' '), data: null };
}

/**
 * Replaces every encrypted payload in the events by its decrypted form (server-side; keys never leave). Payloads the
 * SDK writes without the codec (patch markers, headers, search attributes) are plain by design and stay as they are.
 */
async function decryptInPlace(node: unknown, codec: PayloadCodec): Promise<void> {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) await decryptInPlace(item, codec);
    return;
  }
  const obj = node as Record<string, unknown>;
  const decrypt = async (p: Payload) => (isEncrypted(p) ? (await codec.decode([p]))[0]! : p);
  if (Array.isArray(obj.payloads)) {
    obj.payloads = await Promise.all((obj.payloads as Payload[]).map(decrypt));
    return;
  }
  for (const [key, value] of Object.entries(obj)) {
    if (value && typeof value === 'object' && 'data' in (value as object) && 'metadata' in (value as object)) {
      obj[key] = await decrypt(value as Payload);
    } else await decryptInPlace(value, codec);
  }
}

/** The stay of a workflow id (`stay:<uuid>`), or null for other workflows (the notification dispatcher). */
export const stayIdOfWorkflow = (workflowId: string): string | null =>
  workflowId.startsWith('stay:') ? workflowId.slice('stay:'.length) : null;

/** Retention: a stay whose personal data was removed is no longer decrypted, by the API or by the codec server. */
export const retiredProblem = () =>
  new HttpProblem(
    410,
    'Gone',
    "The stay's personal data was removed when its retention period ended; its Temporal history is no longer decrypted.",
  );

/** The stay's Temporal event history, decoded and summarised (administrators only). */
export function createWorkflowHistory(client: Client, pool: Pool, codec?: PayloadCodec) {
  async function retired(stayIds: string[]): Promise<boolean> {
    if (stayIds.length === 0) return false;
    const found = await pool.query(
      'SELECT 1 FROM stays WHERE id::text = ANY($1::text[]) AND anonymised_at IS NOT NULL LIMIT 1',
      [stayIds],
    );
    return (found.rowCount ?? 0) > 0;
  }
  return {
    retired,
    async decoded(stayId: string, includeTasks: boolean): Promise<WorkflowEvent[]> {
      if (await retired([stayId])) throw retiredProblem();
      const history = await client.workflow.getHandle(stayWorkflowId(stayId)).fetchHistory();
      if (codec) await decryptInPlace(history.events ?? [], codec);
      return (history.events ?? [])
        .filter((e) => includeTasks || !eventTypeName(e).startsWith('workflow-task-'))
        .map((e) => {
          const { summary, data } = summarise(e);
          return {
            id: Number(e.eventId?.toString() ?? 0),
            time: timeOf(e),
            type: eventTypeName(e),
            summary,
            data: data ?? null, // an update without arguments has none; the field is always present
            raw: temporal.api.history.v1.HistoryEvent.toObject(e as proto.temporal.api.history.v1.HistoryEvent, {
              longs: String,
              enums: String,
              bytes: String,
            }),
          };
        });
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    workflowHistory: ReturnType<typeof createWorkflowHistory>;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { client: Client; pool: Pool; codec?: PayloadCodec }) => {
    app.decorate('workflowHistory', createWorkflowHistory(opts.client, opts.pool, opts.codec));
  },
  { name: 'workflow-history' },
);
