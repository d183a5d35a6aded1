import { afterEach, describe, expect, it, vi } from 'vitest';
import { emitBatch } from '../../../functions/metrics.js';

afterEach(() => vi.restoreAllMocks());

describe('batch metrics', () => {
  it('publishes every batch figure in one EMF document under the Connector and Kind dimensions', () => {
    // Prepare: Powertools writes EMF documents to stdout, where CloudWatch Logs picks them up.
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    // Act
    emitBatch({
      connector: 'orders',
      task: 0,
      kind: 'sink',
      records: 9,
      read: 10,
      skipped: 1,
      dlq: 1,
      bytes: 1000,
      durationMs: 12,
      ended: 'dry',
    });
    // Assess
    const docs = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.includes('_aws'))
      .map((l) => JSON.parse(l));
    expect(docs).toHaveLength(1);
    const doc = docs[0];
    expect(doc).toMatchObject({
      Connector: 'orders',
      Kind: 'sink',
      RecordsRead: 10,
      RecordsWritten: 9,
      RecordsSkipped: 1,
      DlqRecords: 1,
      BatchBytes: 1000,
      BatchDuration: 12,
    });
    const directive = doc._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe('ServerlessConnect');
    expect(directive.Dimensions[0]).toEqual(expect.arrayContaining(['Connector', 'Kind']));
    expect(directive.Metrics.map((m: { Name: string }) => m.Name).sort()).toEqual([
      'BatchBytes',
      'BatchDuration',
      'DlqRecords',
      'RecordsRead',
      'RecordsSkipped',
      'RecordsWritten',
    ]);
  });

  it('adds the sink lag when the batch knows it, and only then', () => {
    // Prepare
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const figures = {
      connector: 'c',
      task: 0,
      records: 1,
      read: 1,
      skipped: 0,
      dlq: 0,
      bytes: 1,
      durationMs: 1,
    };
    // Act
    emitBatch({ ...figures, kind: 'sink', ended: 'dry', lag: 42 });
    emitBatch({ ...figures, kind: 'source', ended: 'dry' });
    // Assess
    const docs = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.includes('_aws'))
      .map((l) => JSON.parse(l));
    expect(docs.map((d) => d.SinkLag)).toEqual([42, undefined]);
  });

  it('adds a source backlog (a CDC slot’s retained WAL, in bytes) when the task reports one', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const figures = {
      connector: 'c',
      task: 0,
      records: 0,
      read: 0,
      skipped: 0,
      dlq: 0,
      bytes: 0,
      durationMs: 1,
    };
    emitBatch({ ...figures, kind: 'source', ended: 'dry', backlogBytes: 65_536 });
    emitBatch({ ...figures, kind: 'source', ended: 'dry' });
    const docs = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.includes('_aws'))
      .map((l) => JSON.parse(l));
    expect(docs.map((d) => d.SourceBacklogBytes)).toEqual([65_536, undefined]);
    const unit = docs[0]._aws.CloudWatchMetrics[0].Metrics.find(
      (m: { Name: string }) => m.Name === 'SourceBacklogBytes',
    );
    expect(unit?.Unit).toBe('Bytes');
  });
});
