import type { TopicPartition } from '../../api/index.js';

/** The naming keys of a config (topics.dir, directory.delim, file.delim, the pad width). */
export interface KeyLayout {
  topicsDir: string;
  directoryDelim: string;
  fileDelim: string;
  zeroPadWidth: number;
}

/**
 * The object key of a file, without its extension (Confluent's `TopicPartitionWriter.fileKeyToCommit`
 * and `fileKey`, https://github.com/confluentinc/kafka-connect-storage-cloud/blob/v12.1.9/kafka-connect-s3/src/main/java/io/confluent/connect/s3/TopicPartitionWriter.java):
 * `[<topics.dir>/]<partitioned path>/<topic>+<partition>+<start offset, zero-padded>`.
 */
export function fileBaseKey(
  layout: KeyLayout,
  partitionedPath: string,
  tp: TopicPartition,
  startOffset: number,
): string {
  const { topicsDir, directoryDelim: dd, fileDelim: fd } = layout;
  const name = `${tp.topic}${fd}${tp.partition}${fd}${String(startOffset).padStart(layout.zeroPadWidth, '0')}`;
  const suffix = `${partitionedPath}${dd}${name}`;
  return topicsDir.trim() !== '' ? `${topicsDir}${dd}${suffix}` : suffix;
}
