/**
 * @module
 * base64url without padding (RFC 4648 §5) on Web-standard globals only, so the root entry needs
 * no `Buffer`. Decoding is strict: anything outside the alphabet is `undefined`, never a guess.
 */

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  let binary: string;
  try {
    binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    // A length of 4n+1 is no base64 at all; atob throws rather than answering undefined.
    return undefined;
  }
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
