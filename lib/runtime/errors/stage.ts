/** Every step of the record pipeline (Kafka's `runtime/errors/Stage`); each failure carries one. */
export const Stage = {
  TASK_POLL: 'TASK_POLL',
  TASK_PUT: 'TASK_PUT',
  TRANSFORMATION: 'TRANSFORMATION',
  KEY_CONVERTER: 'KEY_CONVERTER',
  VALUE_CONVERTER: 'VALUE_CONVERTER',
  HEADER_CONVERTER: 'HEADER_CONVERTER',
  KAFKA_PRODUCE: 'KAFKA_PRODUCE',
  KAFKA_CONSUME: 'KAFKA_CONSUME',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

/** Stages whose every error is tolerable under `errors.tolerance=all` (Kafka's `TOLERABLE_EXCEPTIONS`). */
const ANY_ERROR_TOLERABLE: ReadonlySet<Stage> = new Set([
  Stage.TRANSFORMATION,
  Stage.KEY_CONVERTER,
  Stage.VALUE_CONVERTER,
  Stage.HEADER_CONVERTER,
]);

/** Whether `stage` tolerates any error, or only `RetriableError`. */
export function toleratesAnyError(stage: Stage): boolean {
  return ANY_ERROR_TOLERABLE.has(stage);
}
