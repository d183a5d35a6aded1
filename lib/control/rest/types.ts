/** An HTTP request as the REST layer sees it: the body already parsed from JSON (undefined when none). */
export interface RestRequest {
  method: string;
  /** The path below the API's base, e.g. `/connectors/foo/status`; segments may be percent-encoded. */
  path: string;
  /** Every value of each query parameter, in order (`?expand=status&expand=info`). */
  query: Readonly<Record<string, readonly string[]>>;
  body?: unknown;
}

/** What the REST layer answers: a status, an optional JSON body and extra headers. */
export interface RestReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Kafka's `ErrorMessage` entity. */
export interface ErrorBody {
  error_code: number;
  message: string | null;
}
