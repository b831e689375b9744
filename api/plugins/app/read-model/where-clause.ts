/**
 * The WHERE clause of a read, built from optional conditions: they are AND-ed, and their values travel as numbered
 * parameters, never spliced into the SQL. A condition has one value; every `?` in it stands for that value.
 */
export class WhereClause {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  add(condition: string, value: unknown): this {
    this.params.push(value);
    this.conditions.push(condition.replaceAll('?', `$${this.params.length}`));
    return this;
  }

  /** `WHERE …`, or nothing when no condition was added. */
  get sql(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}
