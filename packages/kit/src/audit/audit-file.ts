/**
 * @module
 * {@link AuditFile}: the audit trail as a JSONL file. The file is opened with `O_APPEND`, each
 * record is one line written by one `write` and synced with `fsync` before the call's result is
 * sent, so a crash (even `kill -9`) never leaves half a line, and several processes may append
 * to one file. Past `maxBytes` the file is renamed `PATH.<time>` and a new one begun; nothing is
 * deleted.
 */
import { constants } from 'node:fs';
import { access, open, rename, type FileHandle } from 'node:fs/promises';
import type { AuditRecord } from './record.js';
import type { AuditSink } from './sink.js';

const APPEND = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND;

export class AuditFile implements AuditSink {
  /** Opens (or creates, readable by its owner only) the file at `path`, an absolute path. */
  static async open(path: string, maxBytes?: number): Promise<AuditFile> {
    const handle = await open(path, APPEND, 0o600);
    const { size } = await handle.stat();
    return new AuditFile(path, maxBytes, handle, size);
  }

  readonly #path: string;
  readonly #maxBytes: number | undefined;
  #handle: FileHandle;
  #size: number;
  /** The writes in order: each record waits for the one before. */
  #queue: Promise<void> = Promise.resolve();

  private constructor(
    path: string,
    maxBytes: number | undefined,
    handle: FileHandle,
    size: number,
  ) {
    this.#path = path;
    this.#maxBytes = maxBytes;
    this.#handle = handle;
    this.#size = size;
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
    if (this.#maxBytes !== undefined && this.#size > 0 && this.#size + line.length > this.#maxBytes)
      await this.#rotate();
    let offset = 0;
    while (offset < line.length) {
      const { bytesWritten } = await this.#handle.write(line, offset, line.length - offset);
      offset += bytesWritten;
    }
    this.#size += line.length;
    await this.#handle.sync();
  }

  /** Renames the full file to `PATH.<time>` (never over another) and opens a new one. */
  async #rotate(): Promise<void> {
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    let rotated = `${this.#path}.${stamp}`;
    for (let n = 1; await exists(rotated); n++) rotated = `${this.#path}.${stamp}-${n}`;
    // Renamed first: until the new file is open, the old handle still writes somewhere kept.
    await rename(this.#path, rotated);
    const full = this.#handle;
    this.#handle = await open(this.#path, APPEND, 0o600);
    this.#size = 0;
    await full.close();
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
