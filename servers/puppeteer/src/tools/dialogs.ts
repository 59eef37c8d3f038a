/**
 * @module
 * Dialogs (alert, confirm, prompt, beforeunload). A dialog blocks the page, so none is left
 * open: each gets the answer armed beforehand with puppeteer_handle_dialog, or is dismissed
 * (a `beforeunload` accepted) and reported in the result of the call that caused it.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { withTab, PAGE } from './common.js';

const dialogOutput = z.object({
  tab: z.string().describe('Tab whose next dialog gets the answer'),
  armed: z
    .object({ accept: z.boolean(), promptText: z.string().optional() })
    .describe('The answer waiting for the next dialog'),
  recent: z
    .array(
      z.object({
        type: z.string().describe('alert, confirm, prompt or beforeunload'),
        message: z.string().describe('The dialog text (untrusted page content)'),
        outcome: z.enum(['accepted', 'dismissed']),
        automatic: z.boolean().describe('True when no answer was armed'),
      }),
    )
    .describe('Dialogs this tab showed recently, oldest first'),
});

export const handleDialog = defineTool({
  name: 'puppeteer_handle_dialog',
  title: 'Answer the next dialog',
  description:
    "Arm the answer for the current tab's next alert, confirm or prompt, then trigger it with another tool (dialogs are otherwise dismissed automatically); returns the dialogs seen recently.",
  input: z.object({
    accept: z.boolean().describe('true to press OK/accept, false to cancel'),
    promptText: z
      .string()
      .max(10_000)
      .optional()
      .describe('Text to enter when the dialog is a prompt'),
  }),
  output: dialogOutput,
  annotations: PAGE.SET,
  async run({ accept, promptText }, ctx) {
    return withTab(ctx, (tab) => {
      tab.dialogAnswer = promptText === undefined ? { accept } : { accept, promptText };
      const recent = tab.dialogs.map((dialog) => ({ ...dialog }));
      const lines = recent.map(
        (dialog) =>
          `- ${dialog.type} ${JSON.stringify(dialog.message)}: ${dialog.outcome}${dialog.automatic ? ' (automatically)' : ''}`,
      );
      return Promise.resolve(
        structured(
          { tab: tab.id, armed: { ...tab.dialogAnswer }, recent },
          [
            `The next dialog in tab ${tab.id} will be ${accept ? 'accepted' : 'dismissed'}.`,
            ...(lines.length > 0 ? ['Recent dialogs:', ...lines] : []),
          ].join('\n'),
        ),
      );
    });
  },
});

export const dialogTools = [handleDialog];
