/**
 * The Lambda control plane's state on disk: aliases and event source mappings, which AWS keeps whatever
 * happens on our side. Saved after every request that may change them, loaded at start, so a restarted
 * local mode finds its mappings polling again, as a redeployed function would on AWS.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { EventSourceMappings, Mapping } from './event-source-mappings.js';
import type { Alias, FunctionRegistry } from './functions.js';

interface Saved {
  version: 1;
  aliases: Record<string, Alias[]>;
  mappings: { mappings: Mapping[]; created: number };
}

export function loadLambdaState(
  file: string,
  functions: FunctionRegistry,
  mappings: EventSourceMappings,
): void {
  if (!existsSync(file)) return;
  let saved: Saved;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as Saved;
  } catch (error) {
    throw new Error(
      `${file} is not the Lambda simulator's state (${(error as Error).message}): delete it to start empty`,
    );
  }
  if (saved.version !== 1) throw new Error(`${file}: unknown state version ${String(saved.version)}`);
  functions.restore(saved.aliases);
  mappings.restore(saved.mappings);
}

/** Written whole to a temporary file and renamed, so a crash leaves the old state or the new, never half. */
export function saveLambdaState(
  file: string,
  functions: FunctionRegistry,
  mappings: EventSourceMappings,
): void {
  const saved: Saved = { version: 1, aliases: functions.snapshot(), mappings: mappings.snapshot() };
  writeFileSync(`${file}.tmp`, JSON.stringify(saved));
  renameSync(`${file}.tmp`, file);
}
