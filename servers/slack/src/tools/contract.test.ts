import { contractSuite, sentencesAfterPeriods } from '@plugboard/testing/contract';
import { VERSION } from '../spec.js';
import { tools } from './index.js';

contractSuite(tools, {
  names: /^slack_[a-z][a-z0-9_]{0,57}$/,
  descriptions: { minLength: 40, maxSentences: 3, sentences: sentencesAfterPeriods },
  closedInput: true,
  readOnly: [
    'slack_get_channel_history',
    'slack_get_thread_replies',
    'slack_get_user_profile',
    'slack_find_users',
    'slack_get_users',
    'slack_list_channels',
    'slack_list_files',
    'slack_list_scheduled_messages',
    'slack_list_unreads',
    'slack_read_canvas',
    'slack_read_file',
    'slack_search_messages',
  ],
  openWorld: 'all',
  destructive: [
    'slack_delete_message',
    'slack_delete_scheduled_message',
    'slack_disconnect_account',
    'slack_edit_canvas',
    'slack_remove_reaction',
    'slack_update_message',
  ],
  version: { value: VERSION, packageJson: new URL('../../package.json', import.meta.url) },
});
