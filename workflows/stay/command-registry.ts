import type { CommandRules } from './commands/command-rules';
import { type RecurringDuePassedCommand, recurringDuePassed } from './commands/recurring-due-passed';
import { type StayCompletedCommand, stayCompleted } from './commands/stay-completed';
import { STAY_COMMANDS, type StayCommandDefinition } from './definitions';

type CommandOf<D> = D extends StayCommandDefinition<infer _I, infer C> ? C : never;

/** Every command the stay is folded from: a row of the command table, or one the workflow records itself. */
export type StayCommand =
  | CommandOf<(typeof STAY_COMMANDS)[keyof typeof STAY_COMMANDS]>
  | RecurringDuePassedCommand
  | StayCompletedCommand;

/** The rules of every command, by its type: the table's rows, then the workflow's own. */
const RULES = new Map<string, CommandRules<StayCommand>>();
for (const rules of [...Object.values(STAY_COMMANDS).map((c) => c.rules), recurringDuePassed, stayCompleted]) {
  if (RULES.has(rules.type)) throw new Error(`two commands of type ${rules.type}`);
  RULES.set(rules.type, rules);
}

/** The rules of a command, by its type: what the fold, the checks and the audit wording dispatch on. */
export function rulesOf<C extends StayCommand>(command: C): CommandRules<C> {
  const rules = RULES.get(command.type);
  if (!rules) throw new Error(`no rules for the command ${command.type}`);
  return rules as unknown as CommandRules<C>;
}
