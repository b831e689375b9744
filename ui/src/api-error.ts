/** An RFC 9457 problem as the API sends it. */
export type Problem = {
  status: number;
  title: string;
  detail: string;
  code?: string;
  errors?: { path: string; message: string }[];
};

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = 'ApiError';
  }
  get status() {
    return this.problem.status;
  }
}
