/**
 * @module
 * Untrusted text from GitHub (issue and pull request bodies, comments, reviews, commit messages,
 * discussion posts) can hide instructions that a person reading the page never sees: Unicode tag
 * characters carrying ASCII, bidi overrides, zero-width characters, HTML comments, and the same
 * characters written as HTML entities. {@link sanitizeText} removes them on every read path.
 * Entities and comments are handled only outside code, so code blocks keep their exact text.
 * Invisible characters, normalisation and line flattening are the kit's sanitizer's.
 */
import { createSanitizer, stripInvisible } from '@plugboard/kit/untrusted';

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
 * GitHub's own rules, after the kit removed invisible characters from the NFC text: runs of
 * variation selectors go, and outside code HTML comments and entities that decode to invisible
 * characters. Everything inside code spans and fenced blocks is left exactly as it was.
 */
function cleanMarkdown(visible: string): string {
  const text = visible.replace(VARIATION_RUN, '$1');
  let out = '';
  let last = 0;
  for (const match of text.matchAll(CODE)) {
    out += sanitizeProse(text.slice(last, match.index));
    out +=
      match[0].startsWith('`') && !match[0].startsWith('```') ? match[0] : sanitizeFence(match[0]);
    last = match.index + match[0].length;
  }
  return out + sanitizeProse(text.slice(last));
}

/**
 * {@link sanitizeText} removes hidden content from untrusted text: invisible and bidi characters
 * everywhere, and outside code also HTML comments and entities that decode to such characters.
 * {@link sanitizeLine} makes one line of it (a title, a branch or file name), cut at 300.
 */
export const { text: sanitizeText, line: sanitizeLine } = createSanitizer({
  normalize: 'NFC',
  clean: cleanMarkdown,
  lineMax: 300,
});
