/**
 * @module
 * Changing a Projects (v2) board over GraphQL: add an issue or pull request, set an item's field
 * (text, number, date, single select option, iteration), remove an item. The issue or pull
 * request must be in an allowed repository, and a public project is a public sink for the
 * private-to-public guard.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import { checkNodeId, graphql } from '../graphql.js';
import { CREATE, owner, repo, UPDATE } from './common.js';
import { guardProject, projectNumber, projectOf, projectOwner } from './project-board.js';

const ADD_ITEM = `mutation AddProjectItem($projectId: ID!, $contentId: ID!) {
  addProjectV2ItemById(input: {projectId: $projectId, contentId: $contentId}) { item { id } }
}`;

export const addProjectItem = defineTool({
  name: 'add_project_item',
  title: 'Add project item',
  description:
    'Put an issue or pull request on a project board; returns the project item id that update_project_item_field takes.',
  input: z.object({
    owner: projectOwner,
    project_number: projectNumber,
    item_owner: owner.describe('Owner of the repository with the issue or pull request'),
    item_repo: repo.describe('Repository with the issue or pull request'),
    item_type: z.enum(['issue', 'pull_request']).describe('An issue or a pull request'),
    item_number: z.number().int().positive().describe('Its number'),
  }),
  output: z.object({ itemId: z.string(), projectId: z.string() }),
  toolset: 'projects',
  annotations: { ...CREATE, idempotentHint: true },
  auditTarget: ['owner', 'project_number'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.item_owner, args.item_repo, 'read');
    const project = await projectOf(ctx, args.owner, args.project_number);
    await guardProject(ctx, args.owner, args.project_number, project);
    const contentId = await call(ctx, async (octokit, req) =>
      args.item_type === 'issue'
        ? (await octokit.rest.issues.get({ ...target, issue_number: args.item_number, ...req }))
            .data.node_id
        : (await octokit.rest.pulls.get({ ...target, pull_number: args.item_number, ...req })).data
            .node_id,
    );
    const added = await graphql<{ addProjectV2ItemById: { item: { id: string } } }>(ctx, ADD_ITEM, {
      projectId: project.id,
      contentId,
    });
    const itemId = added.addProjectV2ItemById.item.id;
    return structured(
      { itemId, projectId: project.id },
      `Added ${target.owner}/${target.repo}#${args.item_number} to project ${args.project_number} as item ${itemId}.`,
    );
  },
});

const UPDATE_FIELD = `mutation UpdateProjectItemField($projectId: ID!, $itemId: ID!, $fieldId: ID!, $value: ProjectV2FieldValue!) {
  updateProjectV2ItemFieldValue(input: {projectId: $projectId, itemId: $itemId, fieldId: $fieldId, value: $value}) {
    projectV2Item { id }
  }
}`;

const fieldValue = z
  .union([
    z.object({ text: z.string().max(1024) }),
    z.object({ number: z.number() }),
    z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD') }),
    z.object({ singleSelectOptionId: z.string() }),
    z.object({ iterationId: z.string() }),
  ])
  .describe(
    'Exactly one of text, number, date (YYYY-MM-DD), singleSelectOptionId or iterationId (ids from list_project_fields)',
  );

export const updateProjectItemField = defineTool({
  name: 'update_project_item_field',
  title: 'Update project item field',
  description:
    'Set one field of a project item: text, number, date, single select option or iteration (ids from list_project_fields and list_project_items).',
  input: z.object({
    owner: projectOwner,
    project_number: projectNumber,
    item_id: z.string().describe('Project item node id (PVTI_…)'),
    field_id: z.string().describe('Field node id (PVTF_…, PVTSSF_…, PVTIF_…)'),
    value: fieldValue,
  }),
  output: z.object({ itemId: z.string(), fieldId: z.string() }),
  toolset: 'projects',
  annotations: { ...UPDATE, idempotentHint: true },
  auditTarget: ['owner', 'project_number', 'item_id'],
  async run(args, ctx) {
    const itemId = checkNodeId(args.item_id, 'item_id');
    const fieldId = checkNodeId(args.field_id, 'field_id');
    const value = args.value;
    if ('singleSelectOptionId' in value)
      checkNodeId(value.singleSelectOptionId, 'singleSelectOptionId');
    if ('iterationId' in value) checkNodeId(value.iterationId, 'iterationId');
    const project = await projectOf(ctx, args.owner, args.project_number);
    await guardProject(ctx, args.owner, args.project_number, project);
    await graphql(ctx, UPDATE_FIELD, { projectId: project.id, itemId, fieldId, value });
    return structured({ itemId, fieldId }, `Updated field ${fieldId} of item ${itemId}.`);
  },
});

const DELETE_ITEM = `mutation DeleteProjectItem($projectId: ID!, $itemId: ID!) {
  deleteProjectV2Item(input: {projectId: $projectId, itemId: $itemId}) { deletedItemId }
}`;

export const deleteProjectItem = defineTool({
  name: 'delete_project_item',
  title: 'Delete project item',
  description: 'Take an item off a project board (the issue or pull request itself stays).',
  input: z.object({
    owner: projectOwner,
    project_number: projectNumber,
    item_id: z.string().describe('Project item node id (PVTI_…)'),
  }),
  output: z.object({ deletedItemId: z.string() }),
  toolset: 'projects',
  annotations: UPDATE,
  auditTarget: ['owner', 'project_number', 'item_id'],
  async run(args, ctx) {
    const itemId = checkNodeId(args.item_id, 'item_id');
    const project = await projectOf(ctx, args.owner, args.project_number);
    const data = await graphql<{ deleteProjectV2Item: { deletedItemId: string | null } }>(
      ctx,
      DELETE_ITEM,
      { projectId: project.id, itemId },
    );
    const deleted = data.deleteProjectV2Item.deletedItemId;
    if (deleted === null)
      throw new ToolError(`Item ${itemId} is not on project ${args.project_number}.`);
    return structured(
      { deletedItemId: deleted },
      `Removed item ${deleted} from project ${args.project_number}.`,
    );
  },
});
