/**
 * @module
 * {@link AuditFile}: the audit trail as a JSONL file. The file is opened with `O_APPEND`, each
 * record is one line written by one `write` and synced with `fsync` before the call's result is
 * sent, so a crash (even `kill -9`) never leaves half a line, and several processes may append
 * to one file. Past `maxBytes` (the file's size, whoever wrote it) the file is renamed
 * `PATH.<time>` and a new one begun; nothing is deleted. A process that finds the file rotated
 * under it (by another process, or by the operator) writes on in the new one.
 */
import { constants } from 'node:fs';
import { access, open, rename, stat, type FileHandle } from 'node:fs/promises';
import type { AuditRecord } from './record.js';
import type { AuditSink } from './sink.js';

const APPEND = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND;

export class AuditFile implements AuditSink {
  /** Opens (or creates, readable by its owner only) the file at `path`, an absolute path. */
  static async open(path: string, maxBytes?: number): Promise<AuditFile> {
    return new AuditFile(path, maxBytes, await open(path, APPEND, 0o600));
  }

  readonly #path: string;
  readonly #maxBytes: number | undefined;
  #handle: FileHandle;
  /** The writes in order: each record waits for the one before. */
  #queue: Promise<void> = Promise.resolve();

  private constructor(path: string, maxBytes: number | undefined, handle: FileHandle) {
    this.#path = path;
    this.#maxBytes = maxBytes;
    this.#handle = handle;
  }

  write(record: AuditRecord): Promise<void> {
    const line = Buffer.from(`${JSON.stringify(record)}\n`);
    const written = this.#queue.then(() => this.#append(line));
    this.#queue = written.catch(() => undefined);
    return written;
  }

  async close(): Promise<void> {
    await this.#queue;
    await this.#handle.close();
  }

  async #append(line: Buffer): Promise<void> {
    // The file's own size, so the records of every process appending to it count.
    const size = await this.#current();
    if (this.#maxBytes !== undefined && size > 0 && size + line.length > this.#maxBytes)
      await this.#rotate();
    let offset = 0;
    while (offset < line.length) {
      const { bytesWritten } = await this.#handle.write(line, offset, line.length - offset);
      offset += bytesWritten;
    }
    await this.#handle.sync();
  }

  /**
   * Makes the handle the file now at the path, and returns its size. Another process sharing the
   * file (or the operator) may have rotated it: the old handle would go on writing into the
   * renamed file, so the new one at the path is opened instead.
   */
  async #current(): Promise<number> {
    const [mine, there] = await Promise.all([
      this.#handle.stat(),
      stat(this.#path).catch(() => undefined),
    ]);
    if (there !== undefined && there.ino === mine.ino && there.dev === mine.dev) return mine.size;
    await this.#reopen();
    return (await this.#handle.stat()).size;
  }

  /** Renames the full file to `PATH.<time>` (never over another) and opens a new one. */
  async #rotate(): Promise<void> {
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    let rotated = `${this.#path}.${stamp}`;
    for (let n = 1; await exists(rotated); n++) rotated = `${this.#path}.${stamp}-${n}`;
    // Renamed first: until the new file is open, the old handle still writes somewhere kept.
    await rename(this.#path, rotated);
    await this.#reopen();
  }

  async #reopen(): Promise<void> {
    const previous = this.#handle;
    this.#handle = await open(this.#path, APPEND, 0o600);
    await previous.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
