/** An error with a stable code; its message is Vietnamese when it can reach a user. */
export class DondocError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "DondocError";
    this.code = code;
    this.details = details;
  }
}
