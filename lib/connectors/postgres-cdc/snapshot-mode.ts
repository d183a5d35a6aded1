import type { SnapshotMode } from './config.js';
import { type CdcOffset, resumeLsn, snapshotUnfinished } from './offsets.js';
import type { SlotState } from './slot.js';

/** Whether this start snapshots (Debezium's snapshot.mode; docs in the connector README). */
export function needsSnapshot(
  mode: SnapshotMode,
  offset: CdcOffset | null,
  slot: SlotState | undefined,
): boolean {
  const unfinished = offset === null || snapshotUnfinished(offset);
  switch (mode) {
    case 'initial':
    case 'initial_only':
      return unfinished;
    case 'always':
      return unfinished || slot === undefined;
    case 'when_needed': {
      if (unfinished || slot === undefined) return true;
      const resume = offset ? resumeLsn(offset) : undefined;
      return resume !== undefined && slot.confirmedFlushLsn !== null && resume < slot.confirmedFlushLsn;
    }
    case 'no_data':
    case 'never':
      return false;
  }
}
