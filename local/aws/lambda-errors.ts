/**
 * A Lambda API error as the service answers it: the code in `x-amzn-ErrorType` (which the SDK reads
 * first to pick the exception class) and a JSON body `{Type, message}`. A few exceptions spell their
 * member `Message`; the SDK reads either, but a client that parses the body itself may not.
 */
export class LambdaApiError extends Error {
  constructor(
    readonly code: LambdaErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
  }

  get status(): number {
    return STATUS[this.code];
  }

  /** The JSON body, with the member spelled as the service model spells it for this exception. */
  body(): Record<string, string> {
    const key = UPPER_CASE_MESSAGE.has(this.code) ? 'Message' : 'message';
    return { Type: this.code === 'ServiceException' ? 'Service' : 'User', [key]: this.message };
  }
}

const STATUS = {
  AccessDeniedException: 403,
  InvalidParameterValueException: 400,
  InvalidRequestContentException: 400,
  ResourceInUseException: 400,
  ResourceNotFoundException: 404,
  UnknownOperationException: 404,
  ResourceConflictException: 409,
  RequestTooLargeException: 413,
  ServiceException: 500,
} as const;

export type LambdaErrorCode = keyof typeof STATUS;

const UPPER_CASE_MESSAGE = new Set<LambdaErrorCode>([
  'ResourceNotFoundException',
  'ResourceInUseException',
  'ServiceException',
]);

/** InvalidParameterValueException: the request names a value Lambda would not take. */
export const invalid = (message: string) => new LambdaApiError('InvalidParameterValueException', message);

/** ResourceNotFoundException: a function, alias or mapping that does not exist. */
export const notFound = (message: string) => new LambdaApiError('ResourceNotFoundException', message);

/** InvalidParameterValueException in the wording of the service's input validation. */
export const constraint = (value: unknown, member: string, rule: string) =>
  invalid(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must ${rule}`,
  );
