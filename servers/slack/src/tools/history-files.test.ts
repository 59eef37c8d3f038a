import { describe, expect, it } from 'vitest';
import { tsAt } from '../../test/fake-slack.js';
import { harness, textOf } from '../../test/harness.js';

describe('files in history', () => {
  it('describes an image by name, type, size and link, and never carries its bytes', async () => {
    await using h = await harness();
    h.fake.workspace.messages.C0GENERAL!.push({
      ts: tsAt(30),
      user: 'U0BOB',
      text: 'the screenshot',
      files: [{ id: 'F0IMAGE', name: 'photo.png', filetype: 'png' }],
    });
    const result = await h.call('slack_get_channel_history', { channel_id: 'C0GENERAL', limit: 1 });
    const [message] = (result.structuredContent as { messages: { files: unknown[] }[] }).messages;
    expect(message!.files).toEqual([
      {
        id: 'F0IMAGE',
        name: 'photo.png',
        filetype: 'png',
        mimetype: 'image/png',
        size: 8,
        permalink: 'https://acme.slack.com/files/U0BOB/F0IMAGE/photo.png',
      },
    ]);
    expect(textOf(result)).toContain(
      'file F0IMAGE photo.png (image/png, 8 bytes) https://acme.slack.com/files/U0BOB/F0IMAGE/photo.png',
    );
    expect(JSON.stringify(result)).not.toMatch(/url_private|iVBOR|\\u0089PNG/);
    expect(h.fake.http.requests.some((r) => r.path.startsWith('/files-pri/'))).toBe(false);
  });
});
