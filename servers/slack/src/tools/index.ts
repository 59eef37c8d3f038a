/**
 * @module
 * The Slack server's one tool registry: the eight official tools first, in the official order,
 * then the additions.
 */
import { slackDisconnectAccount } from './accounts.js';
import { slackCreateCanvas, slackEditCanvas, slackReadCanvas } from './canvases.js';
import { slackListChannels } from './channels.js';
import { slackDeleteMessage, slackUpdateMessage } from './edit.js';
import { slackListFiles, slackReadFile } from './files.js';
import { slackGetChannelHistory, slackGetThreadReplies } from './history.js';
import { slackPostMessage, slackReplyToThread } from './messages.js';
import { slackAddReaction, slackRemoveReaction } from './reactions.js';
import {
  slackDeleteScheduledMessage,
  slackListScheduledMessages,
  slackScheduleMessage,
} from './scheduled.js';
import { slackSearchMessages } from './search.js';
import { slackCreateChannel, slackFindUsers, slackOpenDm } from './people.js';
import { slackListUnreads, slackMarkRead } from './unreads.js';
import { slackUploadFile } from './upload.js';
import { slackGetUserProfile, slackGetUsers } from './users.js';

export const tools = [
  slackListChannels,
  slackPostMessage,
  slackReplyToThread,
  slackAddReaction,
  slackGetChannelHistory,
  slackGetThreadReplies,
  slackGetUsers,
  slackGetUserProfile,
  slackSearchMessages,
  slackRemoveReaction,
  slackScheduleMessage,
  slackListFiles,
  slackReadFile,
  slackUpdateMessage,
  slackDeleteMessage,
  slackListUnreads,
  slackMarkRead,
  slackUploadFile,
  slackFindUsers,
  slackOpenDm,
  slackCreateChannel,
  slackListScheduledMessages,
  slackDeleteScheduledMessage,
  slackReadCanvas,
  slackCreateCanvas,
  slackEditCanvas,
  slackDisconnectAccount,
];
