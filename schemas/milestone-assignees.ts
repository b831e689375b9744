import { z } from 'zod';
import { MILESTONE_KEYS } from '../rules/types';

/**
 * "Ta saken" on a milestone: who follows a milestone of a stay up. The wire format of
 * GET /api/stays/:id/assignees and PUT/DELETE /api/stays/:id/milestones/:key/assignee.
 */
export const MilestoneAssignee = z.object({
  milestone: z.enum(MILESTONE_KEYS),
  userId: z.string().meta({ description: 'the login (token sub) of the person who took it' }),
  name: z
    .string()
    .nullable()
    .meta({ description: "by name: from their login's name claim, else the stay's contact with this login" }),
  assignedAt: z.string(),
});
export type MilestoneAssignee = z.infer<typeof MilestoneAssignee>;

export const MilestoneAssigneeList = z.object({ assignees: z.array(MilestoneAssignee) });
export type MilestoneAssigneeList = z.infer<typeof MilestoneAssigneeList>;
