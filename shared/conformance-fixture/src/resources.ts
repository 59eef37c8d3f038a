/**
 * @module
 * The fixture's resources: the fixed text and binary resources and the template the conformance
 * suite reads, a subscribable resource whose content changes on demand, and the resource that
 * `test_trigger_resource_change` adds and removes.
 */
import { defineResource, defineResourceTemplate } from './context.js';
import { RED_PIXEL_PNG } from './media.js';

export const staticText = defineResource({
  uri: 'test://static-text',
  name: 'static-text',
  title: 'Static text',
  description: 'A fixed text resource.',
  mimeType: 'text/plain',
  read: () => [
    {
      uri: 'test://static-text',
      mimeType: 'text/plain',
      text: 'This is the content of the static text resource.',
    },
  ],
});

export const staticBinary = defineResource({
  uri: 'test://static-binary',
  name: 'static-binary',
  title: 'Static binary',
  description: 'A fixed binary resource: a 1x1 red PNG.',
  mimeType: 'image/png',
  read: () => [{ uri: 'test://static-binary', mimeType: 'image/png', blob: RED_PIXEL_PNG }],
});

export const watched = defineResource({
  uri: 'test://watched-resource',
  name: 'watched-resource',
  title: 'Watched resource',
  description:
    'Changes whenever test_trigger_resource_update is called; subscribe to hear about it.',
  mimeType: 'text/plain',
  read: (ctx) => [
    {
      uri: 'test://watched-resource',
      mimeType: 'text/plain',
      text: `Watched resource content, version ${ctx.control.watchedVersion()}`,
    },
  ],
});

/** Listed only between two calls of `test_trigger_resource_change`. */
export const dynamicResource = defineResource({
  uri: 'test://dynamic-resource',
  name: 'dynamic-resource',
  title: 'Dynamic resource',
  description: 'Exists only between two calls of test_trigger_resource_change.',
  mimeType: 'text/plain',
  read: () => [
    { uri: 'test://dynamic-resource', mimeType: 'text/plain', text: 'Added at run time.' },
  ],
});

const TEMPLATE_IDS = ['123', '456', '789'] as const;

export const templateData = defineResourceTemplate({
  uriTemplate: 'test://template/{id}/data',
  name: 'template-data',
  title: 'Data by id',
  description: 'A JSON document for any id.',
  mimeType: 'application/json',
  read: (uri, variables) => {
    const id = variables.get('id') ?? '';
    return [
      {
        uri,
        mimeType: 'application/json',
        text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
      },
    ];
  },
  complete: { id: (value) => TEMPLATE_IDS.filter((id) => id.startsWith(value)) },
});

export const resources = [staticText, staticBinary, watched] as const;
export const resourceTemplates = [templateData] as const;
