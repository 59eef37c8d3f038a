/**
 * @module
 * Untrusted text from GitHub (issue and pull request bodies, comments, reviews, commit messages,
 * discussion posts) can hide instructions that a person reading the page never sees: Unicode tag
 * characters carrying ASCII, bidi overrides, zero-width characters, HTML comments, and the same
 * characters written as HTML entities. {@link sanitizeText} removes them on every read path.
 * Entities and comments are handled only outside code, so code blocks keep their exact text.
 * Invisible characters and line flattening are the protocol kit's.
 */
import { flattenLine, stripInvisible } from '@plugboard/protocol';

/** Variation selectors are fine after a visible character, and a smuggling channel in runs. */
const VARIATION_RUN =
  /(^|[\s\uFE00-\uFE0F])[\uFE00-\uFE0F]+|(?<=[\uFE00-\uFE0F])[\uFE00-\uFE0F]+/gu;

/** Named entities for characters {@link stripInvisible} removes. */
const NAMED_INVISIBLE =
  /&(?:zwnj|lrm|rlm|shy|ZeroWidthSpace|NoBreak|InvisibleTimes|it|InvisibleComma|ic|ApplyFunction|af|NegativeVeryThinSpace|NegativeThinSpace|NegativeMediumSpace|NegativeThickSpace);/g;
const NUMERIC_ENTITY = /&#(?:x([0-9a-f]{1,6})|([0-9]{1,7}));?/gi;

const CODE =
  /(^|\n)( {0,3})(`{3,}|~{3,})([^\n]*)\n[\s\S]*?(?:\n\2?\3[`~]*[ \t]*(?=\n|$)|$)|`[^`\n]+`/g;

function isInvisible(codePoint: number): boolean {
  return (
    stripInvisible(String.fromCodePoint(codePoint)) === '' ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f)
  );
}

/** Entities that decode to invisible characters become nothing; other entities stay as written. */
function dropInvisibleEntities(text: string): string {
  return text
    .replace(NAMED_INVISIBLE, '')
    .replace(NUMERIC_ENTITY, (entity, hex: string | undefined, decimal: string | undefined) => {
      const codePoint = hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal);
      return codePoint <= 0x10ffff && isInvisible(codePoint) ? '' : entity;
    });
}

/** Prose (outside code) loses HTML comments and entity-encoded invisible characters. */
function sanitizeProse(text: string): string {
  return dropInvisibleEntities(text)
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/<!--/g, '');
}

/** A fence's info string keeps only its language word; anything after it is hidden on github.com. */
function sanitizeFence(block: string): string {
  return block.replace(
    /^(\n?)( {0,3})(`{3,}|~{3,})([^\n]*)/,
    (_all, newline: string, indent: string, fence: string, info: string) => {
      const language = /^\s*([\w+#.-]{0,40})/.exec(info)?.[1] ?? '';
      return `${newline}${indent}${fence}${language}`;
    },
  );
}

/**
 * Removes hidden content from untrusted text: invisible and bidi characters everywhere, and
 * outside code also HTML comments and entities that decode to such characters. Visible text,
 * including everything inside code spans and fenced blocks, is left exactly as it was.
 */
export function sanitizeText(text: string): string {
  const visible = stripInvisible(text.normalize('NFC')).replace(VARIATION_RUN, '$1');
  let out = '';
  let last = 0;
  for (const match of visible.matchAll(CODE)) {
    out += sanitizeProse(visible.slice(last, match.index));
    out +=
      match[0].startsWith('`') && !match[0].startsWith('```') ? match[0] : sanitizeFence(match[0]);
    last = match.index + match[0].length;
  }
  out += sanitizeProse(visible.slice(last));
  // Removing an entity or comment can join characters into a new invisible run; one more pass
  // over the result settles it.
  return stripInvisible(out);
}

/** One line of untrusted text (a title, a branch or file name): sanitised, control characters as spaces. */
export function sanitizeLine(text: string, max = 300): string {
  return flattenLine(sanitizeText(text), max);
}
