import type { FileHandle } from 'node:fs/promises';

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;
const CR = 0x0d;

/** A line longer than the reader's limit: the task cannot move past it by itself. */
export class LineTooLongError extends Error {
  override name = 'LineTooLongError';
  constructor(
    /** Byte position where the line starts (the committed offset stays there). */
    readonly position: number,
    readonly maxBytes: number,
  ) {
    super(`the line starting at byte ${position} is longer than ${maxBytes} bytes`);
  }
}

export interface Line {
  text: string;
  /** Byte offset just after the line's terminator: where reading resumes. */
  position: number;
}

/**
 * Reads complete UTF-8 lines (ending in `\n` or `\r\n`) from a byte position. A last line without its
 * terminator is held back until it is complete, so an offset never points inside a line. A line (its
 * terminator excluded) longer than `maxLineBytes` throws {@link LineTooLongError} as soon as that many
 * bytes of it are known, complete or not: the buffer never grows much past the limit (a file with no
 * newline would otherwise be read whole into memory).
 */
export class LineReader {
  private buffer = Buffer.alloc(0);
  /** File position of `buffer[0]`. */
  private bufferStart: number;

  constructor(
    private readonly file: FileHandle,
    position: number,
    private readonly maxLineBytes = Number.POSITIVE_INFINITY,
  ) {
    this.bufferStart = position;
  }

  /**
   * Up to `maxLines` complete lines. When a line too long is met, the lines before it are answered (their
   * offsets get committed) and the next read throws for the long line, from where it starts.
   */
  async read(maxLines: number): Promise<Line[]> {
    const lines: Line[] = [];
    let start = 0;
    let tooLong = false;
    for (;;) {
      let nl = this.buffer.indexOf(NEWLINE, start);
      while (nl !== -1 && lines.length < maxLines) {
        const end = nl > start && this.buffer[nl - 1] === CR ? nl - 1 : nl;
        if (end - start > this.maxLineBytes) {
          tooLong = true;
          break;
        }
        lines.push({ text: this.buffer.toString('utf8', start, end), position: this.bufferStart + nl + 1 });
        start = nl + 1;
        nl = this.buffer.indexOf(NEWLINE, start);
      }
      // An unfinished tail already past the limit (a CR may still end it) can only become a line too long.
      if (tooLong || (nl === -1 && this.buffer.length - start > this.maxLineBytes + 1)) {
        tooLong = true;
        break;
      }
      if (lines.length >= maxLines) break;
      // Need more bytes: keep the unfinished tail and read the next chunk after it.
      this.buffer = this.buffer.subarray(start);
      this.bufferStart += start;
      start = 0;
      const chunk = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await this.file.read(chunk, 0, CHUNK, this.bufferStart + this.buffer.length);
      if (bytesRead === 0) break;
      this.buffer =
        this.buffer.length === 0
          ? chunk.subarray(0, bytesRead)
          : Buffer.concat([this.buffer, chunk.subarray(0, bytesRead)]);
    }
    this.buffer = this.buffer.subarray(start);
    this.bufferStart += start;
    if (tooLong && lines.length === 0) throw new LineTooLongError(this.bufferStart, this.maxLineBytes);
    return lines;
  }
}
