/**
 * @module
 * Screenshots and PDFs kept as resources (`screenshot://<name>`, `pdf://<name>`). The reference
 * server kept every screenshot forever; this store is bounded by count and by bytes, evicting the
 * least recently used, and tells the server when the list changes so clients hear `list_changed`.
 */

export interface Capture {
  /** `screenshot://<name>` or `pdf://<name>`, the key. */
  readonly uri: string;
  readonly name: string;
  readonly mimeType: string;
  /** Base64 data. */
  readonly data: string;
  readonly bytes: number;
  /** Pixels, for images. */
  readonly width?: number;
  readonly height?: number;
}

export interface CaptureStore {
  put(capture: Capture): void;
  get(uri: string): Capture | undefined;
  list(): readonly Capture[];
  onChange(listener: () => void): void;
}

export const MAX_CAPTURES = 32;
export const MAX_CAPTURE_BYTES = 64 * 1024 * 1024;

export function createCaptureStore(
  maxCount = MAX_CAPTURES,
  maxBytes = MAX_CAPTURE_BYTES,
): CaptureStore {
  const captures = new Map<string, Capture>();
  const listeners = new Set<() => void>();
  let total = 0;
  const changed = (): void => {
    for (const listener of listeners) listener();
  };
  return {
    put(capture) {
      const previous = captures.get(capture.uri);
      if (previous !== undefined) {
        total -= previous.bytes;
        captures.delete(capture.uri);
      }
      captures.set(capture.uri, capture);
      total += capture.bytes;
      for (const [uri, oldest] of captures) {
        if (captures.size <= maxCount && total <= maxBytes) break;
        if (uri === capture.uri) continue;
        captures.delete(uri);
        total -= oldest.bytes;
      }
      changed();
    },
    get(uri) {
      const capture = captures.get(uri);
      if (capture !== undefined) {
        // Reading makes it the most recently used.
        captures.delete(uri);
        captures.set(uri, capture);
      }
      return capture;
    },
    list: () => [...captures.values()],
    onChange(listener) {
      listeners.add(listener);
    },
  };
}
