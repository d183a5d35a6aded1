import type { FileHandle } from 'node:fs/promises';

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;
const CR = 0x0d;

export interface Line {
  text: string;
  /** Byte offset just after the line's terminator: where reading resumes. */
  position: number;
}

/**
 * Reads complete UTF-8 lines (ending in `\n` or `\r\n`) from a byte position. A last line without its
 * terminator is held back until it is complete, so an offset never points inside a line.
 */
export class LineReader {
  private buffer = Buffer.alloc(0);
  /** File position of `buffer[0]`. */
  private bufferStart: number;

  constructor(
    private readonly file: FileHandle,
    position: number,
  ) {
    this.bufferStart = position;
  }

  async read(maxLines: number): Promise<Line[]> {
    const lines: Line[] = [];
    let start = 0;
    for (;;) {
      let nl = this.buffer.indexOf(NEWLINE, start);
      while (nl !== -1 && lines.length < maxLines) {
        const end = nl > start && this.buffer[nl - 1] === CR ? nl - 1 : nl;
        lines.push({ text: this.buffer.toString('utf8', start, end), position: this.bufferStart + nl + 1 });
        start = nl + 1;
        nl = this.buffer.indexOf(NEWLINE, start);
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
    return lines;
  }
}
