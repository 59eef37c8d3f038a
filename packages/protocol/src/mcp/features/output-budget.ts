/**
 * @module
 * The output budget, kept by the protocol (CONVENTIONS.md): after every tool call the text of
 * the result is measured, and a result over the server's budget is cut at a character boundary,
 * marked (`truncated: true` in structured content where the output schema allows it, and a
 * closing text line saying what was cut and how to get the rest) and logged at warn level, since
 * a tool that needs this is a server defect. Tools still page and clamp their own output; this is
 * the floor under them.
 */
import { isObject, type JsonObject } from '../../jsonrpc/message.js';
import { truncateText, utf8Length } from '../../kit/budget.js';
import type { Logger } from '../../log.js';
import type { ContentBlock } from '../types.js';

/** Room kept for the closing line, so the cut result with it stays within the budget. */
const NOTE_RESERVE = 400;

function textBytes(content: readonly ContentBlock[], budget: number): number {
  let total = 0;
  for (const block of content) {
    if (block.type !== 'text') continue;
    // UTF-8 takes 1 to 3 bytes per UTF-16 unit: short text needs no exact count.
    total += block.text.length * 3 <= budget ? block.text.length * 3 : utf8Length(block.text);
  }
  return total;
}

/** Whether the tool's output schema lets the protocol add `truncated: true` to the structure. */
function allowsTruncatedFlag(outputSchema: JsonObject | undefined): boolean {
  if (outputSchema === undefined) return false;
  const properties = isObject(outputSchema.properties) ? outputSchema.properties : {};
  const declared = properties.truncated;
  if (isObject(declared)) return declared.type === 'boolean' || declared.type === undefined;
  return outputSchema.additionalProperties !== false;
}

function closingLine(total: number, kept: number, budget: number): string {
  return (
    `[Output cut: this result had ${total} bytes of text, over the ${budget}-byte output budget; ` +
    `the last ${total - kept} bytes were left out. Ask for less to get the rest: a narrower query, ` +
    `a smaller range, or the cursor or offset this tool offers.]`
  );
}

/**
 * The result within `budget` bytes of text: unchanged when it fits (the common case costs one
 * length check per text block), else cut, marked and logged.
 */
export function enforceOutputBudget(
  result: JsonObject,
  tool: string,
  budget: number,
  logger: Logger,
  outputSchema: JsonObject | undefined,
): JsonObject {
  const content = Array.isArray(result.content) ? (result.content as ContentBlock[]) : [];
  const estimate = textBytes(content, budget);
  if (estimate <= budget) return result;
  let total = 0;
  for (const block of content) if (block.type === 'text') total += utf8Length(block.text);
  if (total <= budget) return result;
  const room = Math.max(0, budget - NOTE_RESERVE);
  let kept = 0;
  const cut: ContentBlock[] = [];
  for (const block of content) {
    if (block.type !== 'text') {
      cut.push(block);
      continue;
    }
    if (kept >= room) continue;
    const piece = truncateText(block.text, room - kept);
    kept += piece.bytes;
    if (piece.text !== '') cut.push(piece.truncated ? { ...block, text: piece.text } : block);
  }
  cut.push({ type: 'text', text: closingLine(total, kept, budget) });
  logger.warn(
    `tool ${tool} returned more text than its output budget; the protocol cut it (a server defect)`,
    {
      tool,
      bytes: total,
      budget,
    },
  );
  const bounded: JsonObject = { ...result, content: cut };
  if (isObject(result.structuredContent) && allowsTruncatedFlag(outputSchema))
    bounded.structuredContent = { ...result.structuredContent, truncated: true };
  return bounded;
}
